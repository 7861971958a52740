using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>One node of a random declaration, as the fuzzer built it (its own model: it does not ask the generator).</summary>
public sealed class FuzzNode
{
    public string Name = "";
    public string Kind = "Dense"; // Input, Dense, Add, Max, Dropout, LayerNorm, BatchNorm, Activation; Conv1D and Conv2D only in the mutations that break their rules
    public string SizeText = "1"; // the size argument as written (a mutation may write garbage)
    public int Size = 1;
    public string Activation = "Identity";
    public bool Bias = true;
    public string? From;           // null: the node declared before
    public bool FromAsString;      // From = "N1" instead of nameof(N1)
    public List<string> Operands = [];
    public string? Slope;          // the Slope argument as written, or null
    public int Kernel = 3;         // a convolution's kernel size
    public string? Momentum;       // a BatchNorm's Momentum as written, or null
    public string? Epsilon;        // a BatchNorm's or LayerNorm's Epsilon as written, or null
    public string PropertyText = "public partial Node {0} { get; }";
    public string ExtraAttribute = "";

    /// <summary>Reads one node, the one before unless From names another (Dense and the kinds that keep their source's shape).</summary>
    public bool ReadsOne => Kind is "Dense" or "Dropout" or "LayerNorm" or "BatchNorm" or "Activation" or "Conv1D" or "Conv2D";

    public FuzzNode Clone()
    {
        var copy = (FuzzNode)MemberwiseClone();
        copy.Operands = [.. Operands];
        return copy;
    }

    public string Attribute()
    {
        string Ref(string name) => FromAsString ? "\"" + name + "\"" : "nameof(" + FuzzNames.Spell(name) + ")";
        switch (Kind)
        {
            case "Input":
                return $"[Input({SizeText})]";
            case "Dense":
                var arguments = new List<string> { SizeText };
                if (Activation != "Identity" || Slope is not null)
                    arguments.Add(Activation.StartsWith('(') ? Activation : "Activation." + Activation);
                if (!Bias)
                    arguments.Add("Bias = false");
                if (From is not null)
                    arguments.Add("From = " + Ref(From));
                if (Slope is not null)
                    arguments.Add("Slope = " + Slope);
                return $"[Dense({string.Join(", ", arguments)})]";
            // p = 0: the gradient check compares Backward (a training pass) with ComputeLoss (evaluation), which agree only then.
            case "Dropout":
                return $"[Dropout(0f{(From is not null ? ", From = " + Ref(From) : "")})]";
            case "LayerNorm" or "BatchNorm":
                var named = new List<string>();
                if (Momentum is not null)
                    named.Add("Momentum = " + Momentum);
                if (Epsilon is not null)
                    named.Add("Epsilon = " + Epsilon);
                if (From is not null)
                    named.Add("From = " + Ref(From));
                return named.Count > 0 ? $"[{Kind}({string.Join(", ", named)})]" : $"[{Kind}]";
            case "Activation":
                var parts = new List<string> { Activation.StartsWith('(') ? Activation : "Activation." + Activation };
                if (From is not null)
                    parts.Add("From = " + Ref(From));
                if (Slope is not null)
                    parts.Add("Slope = " + Slope);
                return $"[Activation({string.Join(", ", parts)})]";
            case "Conv1D" or "Conv2D":
                return $"[{Kind}({SizeText}, {Kernel}{(From is not null ? ", From = " + Ref(From) : "")})]";
            default:
                return $"[{Kind}({string.Join(", ", Operands.Select(Ref))})]";
        }
    }
}

/// <summary>A random network declaration and what the fuzzer expects the generator to say about it.</summary>
public sealed class FuzzNetwork
{
    public string ClassName = "Net";
    public List<FuzzNode> Nodes = [];
    public string Loss = "MeanSquaredError";
    public string? LossScale;
    public string? Reduction;
    public string? L2;
    public string? Output;
    public string ClassModifiers = "public partial";
    public string TypeKeyword = "class";
    public string TypeParameters = "";
    public string? Outer;          // wraps the class in "public partial class {Outer}"
    public string Appendix = "";   // extra declarations after the class (e.g. a second partial part)
    public string NamespaceSuffix = ""; // more namespace parts after "Fuzz{i}", as written (e.g. ".@event.Δ")
    public bool OutputAsString;      // Output = "Y" instead of nameof(Y)
    /// <summary>For a network split over partial declarations: the part (0 carries [Network]) of each node; empty for one part.</summary>
    public List<int> PartOf = [];
    public string ExtraMembers = ""; // members written in the class besides its nodes (methods, constructors, …)

    /// <summary>How the fuzzer classifies the declaration: Valid, Invalid (with <see cref="ExpectedError"/>) or Garbage (random text damage).</summary>
    public string Category = "Valid";
    public string? ExpectedError;
    public string Mutation = "none";
    public bool OldLanguageVersion;

    public FuzzNetwork Clone()
    {
        var copy = (FuzzNetwork)MemberwiseClone();
        copy.Nodes = Nodes.Select(n => n.Clone()).ToList();
        copy.PartOf = [.. PartOf];
        return copy;
    }

    public FuzzNode Node(string name) => Nodes.First(n => n.Name == name);

    public int OutputIndex => Output is null ? Nodes.Count - 1 : Nodes.FindIndex(n => n.Name == Output);

    public IEnumerable<int> SourcesOf(int i)
    {
        FuzzNode node = Nodes[i];
        if (node.ReadsOne)
            return [node.From is null ? i - 1 : Nodes.FindIndex(n => n.Name == node.From)];
        // (Split networks name From wherever "the node before" would cross declarations, so i - 1 stays right.)
        return node.Kind == "Input" ? [] : node.Operands.Select(o => Nodes.FindIndex(n => n.Name == o));
    }

    /// <summary>The warnings a valid declaration must get, worked out from the fuzzer's own model.</summary>
    public string[] ExpectedWarnings()
    {
        var warnings = new List<string>();
        var reaches = new bool[Nodes.Count];
        var stack = new Stack<int>([OutputIndex]);
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (reaches[i])
                continue;
            reaches[i] = true;
            foreach (int s in SourcesOf(i))
                stack.Push(s);
        }
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!reaches[i] && Nodes[i].Kind != "Input")
                warnings.Add("NG0015");
            if (Nodes[i].Kind == "Dense" && Nodes[i].Slope is not null && Nodes[i].Activation != "LeakyReLU")
                warnings.Add("NG0022");
        }
        FuzzNode output = Nodes[OutputIndex];
        if (output.Kind == "Dense" && output.Activation == "Softmax" && Loss is "MeanSquaredError" or "SumSquaredError")
            warnings.Add("NG0026");
        return [.. warnings.OrderBy(w => w, System.StringComparer.Ordinal)];
    }

    public string Render(string ns) => RenderParts(ns)[0];

    /// <summary>The declaration's files: one, or one per partial declaration when <see cref="PartOf"/> splits the nodes.</summary>
    public List<string> RenderParts(string ns)
    {
        var arguments = new List<string> { "Loss = Loss." + Loss };
        if (LossScale is not null) arguments.Add("LossScale = " + LossScale);
        if (Reduction is not null) arguments.Add("Reduction = Reduction." + Reduction);
        if (L2 is not null) arguments.Add("L2 = " + L2);
        if (Output is not null) arguments.Add(OutputAsString ? "Output = \"" + Output + "\"" : "Output = nameof(" + FuzzNames.Spell(Output) + ")");
        string header = "using NetGen;\n\nnamespace " + ns + NamespaceSuffix + ";\n\n";
        string className = FuzzNames.Spell(ClassName);
        int parts = PartOf.Count == 0 ? 1 : PartOf.Max() + 1;
        var files = new List<string>();
        for (int part = 0; part < parts; part++)
        {
            var text = new StringBuilder(header);
            if (part > 0)
            {
                text.Append("public partial class ").Append(className).Append("\n{\n");
            }
            else
            {
                if (Outer is not null)
                    text.Append("public partial class ").Append(Outer).Append("\n{\n");
                text.Append("[Network(").Append(string.Join(", ", arguments)).Append(")]\n");
                text.Append(ClassModifiers).Append(' ').Append(TypeKeyword).Append(' ').Append(className).Append(TypeParameters).Append("\n{\n");
            }
            for (int i = 0; i < Nodes.Count; i++)
            {
                if ((PartOf.Count == 0 ? 0 : PartOf[i]) != part)
                    continue;
                FuzzNode node = Nodes[i];
                text.Append("    ").Append(node.ExtraAttribute).Append(node.Attribute()).Append(' ')
                    .Append(node.PropertyText.Replace("{0}", FuzzNames.Spell(node.Name))).Append('\n');
            }
            if (part == 0)
            {
                text.Append(ExtraMembers);
                text.Append("}\n");
                if (Outer is not null)
                    text.Append("}\n");
                text.Append(Appendix);
            }
            else
            {
                text.Append("}\n");
            }
            files.Add(text.ToString());
        }
        return files;
    }

    public static string Float(float value) =>
        float.IsNaN(value) ? "float.NaN" : float.IsPositiveInfinity(value) ? "float.PositiveInfinity" : value.ToString("R", CultureInfo.InvariantCulture) + "f";
}
