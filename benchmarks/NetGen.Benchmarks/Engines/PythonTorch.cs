using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Engines;

/// <summary>
/// The seed's own PyTorch script (python/problem_a.py) run as a subprocess with the machine's Python and torch
/// (Debian: apt-get install python3-torch). When either is missing, the comparison says so and goes on without it.
/// </summary>
public sealed class PythonTorch
{
    private readonly string _python;

    private PythonTorch(string python, bool available, string status)
    {
        _python = python;
        Available = available;
        Status = status;
    }

    public bool Available { get; }

    public string Status { get; }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "python", "problem_a.py");

    /// <summary>
    /// The first interpreter that imports torch: <paramref name="python"/> when given, else python3 on the PATH, then
    /// Debian's /usr/bin/python3 (where python3-torch installs, and which a pyenv or venv python3 on the PATH hides).
    /// </summary>
    public static PythonTorch Find(string? python)
    {
        if (!File.Exists(Script))
            return new PythonTorch("python3", false, $"not run: {Script} is missing");
        string[] candidates = python is null ? ["python3", "/usr/bin/python3"] : [python];
        foreach (string candidate in candidates)
        {
            var (exit, output) = Execute(candidate, "-c \"import torch; print(torch.__version__)\"", TimeSpan.FromSeconds(60));
            if (exit == 0)
                return new PythonTorch(candidate, true, $"torch {output.Trim()} ({candidate})");
        }
        return new PythonTorch("python3", false,
            $"not installed, column left out ({string.Join(" and ", candidates)} cannot import torch; on Debian: apt-get install python3-torch)");
    }

    /// <summary>
    /// Runs the script on the workload's data and initial weights (problem A only). The script times its whole run,
    /// so best and median are that run's average; its allocations are not ours to count.
    /// </summary>
    public EngineResult? Train(Workload workload, out string note)
    {
        string init = Path.Combine(Path.GetTempPath(), $"netgen-problem-a-{Environment.ProcessId}.bin");
        try
        {
            using (var file = File.Create(init))
            {
                file.Write(MemoryMarshal.AsBytes(workload.Inputs.AsSpan()));
                file.Write(MemoryMarshal.AsBytes(workload.Targets.AsSpan()));
                file.Write(MemoryMarshal.AsBytes(workload.InitialParameters.AsSpan()));
            }
            int epochs = workload.Steps / workload.BatchesPerEpoch;
            var (exit, output) = Execute(_python, $"\"{Script}\" --init \"{init}\" --epochs {epochs}", TimeSpan.FromMinutes(10));
            if (exit != 0)
            {
                note = $"exit code {exit}: {output.Trim()}";
                return null;
            }
            string json = output.Trim().Split('\n')[^1];
            using JsonDocument result = JsonDocument.Parse(json);
            JsonElement root = result.RootElement;
            note = $"torch {root.GetProperty("torch").GetString()}, {root.GetProperty("threads").GetInt32()} thread(s)";
            int steps = root.GetProperty("steps").GetInt32();
            double perStep = root.GetProperty("seconds").GetDouble() / steps;
            return new EngineResult(EngineKind.PyTorchScript, $"seed's PyTorch script ({note})", perStep, perStep, 1, steps, null, steps,
                root.GetProperty("first_loss").GetDouble(), root.GetProperty("final_loss").GetDouble());
        }
        finally
        {
            File.Delete(init);
        }
    }

    private static (int Exit, string Output) Execute(string file, string arguments, TimeSpan timeout)
    {
        try
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }
            return (process.ExitCode, process.ExitCode == 0 ? stdout : stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
