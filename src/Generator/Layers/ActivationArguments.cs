using System;
using System.Collections.Immutable;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Layers;

/// <summary>The rules for the activation and Slope arguments, shared by every kind that takes them (Dense, Conv1D, Conv2D).</summary>
internal static class ActivationArguments
{
    public static void Check(NodeSpec node, Activation activation, float slope, bool slopeGiven, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        if (!Enum.IsDefined(typeof(Activation), activation))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("activation"),
                $"The activation of '{node.Name}'", (int)activation, "one of the Activation enum's members"));
        if (activation == Activation.LeakyReLU && !(slope > 0 && slope < 1))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, node.Locations.Of("Slope"),
                $"The Slope of '{node.Name}'", Validator.Format(slope), "a number between 0 and 1, exclusive (e.g. 0.01f)"));
        else if (slopeGiven && activation != Activation.LeakyReLU)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SlopeWithoutLeakyReLU, node.Locations.Of("Slope"), node.Name, activation));
    }
}
