using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NetGen.Benchmarks.Torch;

/// <summary>
/// Marks one needed symbol version of an ELF shared library weak (VER_FLG_WEAK in its .gnu.version_r entry), so that
/// the dynamic loader accepts a system library that lacks that version.
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107's libLibTorchSharp.so was linked against a libstdc++ with GLIBCXX_3.4.32 (GCC 13); Debian 12
/// ships GLIBCXX_3.4.30, so the library fails to load. The only symbol it binds to that version is
/// <c>std::ios_base_library_init()</c>, a link-time marker that GCC 13 references and never calls; with the version
/// need marked weak the loader no longer insists on it, and tensors, autograd and SGD work. The patch is applied to the
/// copy under the build output (bin/), never to the package cache, and only when needed: it is idempotent.
/// </remarks>
public static class ElfVersionPatch
{
    private const uint SectionGnuVersionNeeded = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort VersionFlagWeak = 0x2;              // VER_FLG_WEAK

    public enum Outcome { Patched, AlreadyWeak, VersionNotNeeded }

    /// <summary>Sets VER_FLG_WEAK on the vernaux entry named <paramref name="version"/>; throws <see cref="InvalidDataException"/> with a clear message if the file is not laid out as expected.</summary>
    public static Outcome MarkWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        int? flagsOffset = FindVersionFlags(elf, version, path);
        if (flagsOffset is not int at)
            return Outcome.VersionNotNeeded;
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(at));
        if ((flags & VersionFlagWeak) != 0)
            return Outcome.AlreadyWeak;
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(at), (ushort)(flags | VersionFlagWeak));
        // Write a new file and move it over the old one: a hard link into the package cache, if the build made one,
        // keeps pointing at the untouched original.
        string temporary = path + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Move(temporary, path, overwrite: true);
        return Outcome.Patched;
    }

    /// <summary>The file offset of vna_flags of the needed version called <paramref name="version"/>, or null when no entry names it.</summary>
    public static int? FindVersionFlags(ReadOnlySpan<byte> elf, string version, string path = "the file")
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw Layout(path, "it is not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw Layout(path, "it is not a 64-bit little-endian ELF file");
        ulong sectionTable = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        if (sectionTable == 0 || entrySize < 64 || (long)sectionTable + (long)sections * entrySize > elf.Length)
            throw Layout(path, "its section header table is missing or truncated");

        for (int s = 0; s < sections; s++)
        {
            ReadOnlySpan<byte> header = elf.Slice((int)sectionTable + s * entrySize, entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != SectionGnuVersionNeeded)
                continue;
            int offset = Checked(BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]), elf.Length, path);
            int size = Checked(BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]), elf.Length - offset, path);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            if (link >= sections)
                throw Layout(path, ".gnu.version_r links to a string table that does not exist");
            ReadOnlySpan<byte> stringsHeader = elf.Slice((int)sectionTable + link * entrySize, entrySize);
            int strings = Checked(BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]), elf.Length, path);

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            int need = offset;
            for (int n = 0; n < count; n++)
            {
                if (need < offset || need + 16 > offset + size)
                    throw Layout(path, ".gnu.version_r has an entry outside its section");
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    if (aux < offset || aux + 16 > offset + size)
                        throw Layout(path, ".gnu.version_r has an auxiliary entry outside its section");
                    int name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]);
                    if (CString(elf, name) == version)
                        return aux + 4;
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
            return null;
        }
        throw Layout(path, "it has no .gnu.version_r section");
    }

    private static string CString(ReadOnlySpan<byte> elf, int start)
    {
        if ((uint)start >= (uint)elf.Length)
            return "";
        int end = elf[start..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? elf[start..] : elf.Slice(start, end));
    }

    private static int Checked(ulong value, int limit, string path) =>
        value <= (ulong)limit ? (int)value : throw Layout(path, "a section lies outside the file");

    private static InvalidDataException Layout(string path, string problem) =>
        new($"Cannot mark the symbol version weak in {path}: {problem}. This patch knows TorchSharp 0.107's libLibTorchSharp.so; "
            + "with another version, check `readelf -V` and update benchmarks/NetGen.Benchmarks/Torch/ElfVersionPatch.cs.");
}
