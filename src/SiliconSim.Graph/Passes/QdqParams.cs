using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>Checks on the scale and zero-point inputs of Q and DQ nodes shared by the QDQ passes.</summary>
internal static class QdqParams
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> both have constant scalar scale and zero point
    /// with identical values and types, zero points present (ORT's IsQDQPairSupported).</summary>
    public static bool SameScalarParams(GraphEditor graph, Node a, Node b)
    {
        TensorValue? sa = graph.Constant(a.Inputs[1]);
        TensorValue? sb = graph.Constant(b.Inputs[1]);
        if (sa is null || sb is null || sa.Length != 1 || sb.Length != 1 || sa.Type != sb.Type || !sa.Data.GetValue(0)!.Equals(sb.Data.GetValue(0)))
        {
            return false;
        }

        TensorValue? za = a.Inputs.Length > 2 ? graph.Constant(a.Inputs[2]) : null;
        TensorValue? zb = b.Inputs.Length > 2 ? graph.Constant(b.Inputs[2]) : null;
        bool hasA = a.Inputs.Length > 2 && a.Inputs[2].Length > 0;
        bool hasB = b.Inputs.Length > 2 && b.Inputs[2].Length > 0;
        if (!hasA || !hasB)
        {
            // IsQDQPairSupported refuses Q/DQ nodes without the optional zero-point input.
            return false;
        }

        return za is not null && zb is not null && za.Length == 1 && zb.Length == 1 && za.Type == zb.Type
            && za.Data.GetValue(0)!.Equals(zb.Data.GetValue(0));
    }

    /// <summary>The scale of a Q/DQ node as a float scalar, or null when not a constant scalar.</summary>
    public static float? ScalarScale(GraphEditor graph, Node n)
    {
        TensorValue? s = graph.Constant(n.Inputs[1]);
        return s is { Length: 1, Type: DataType.Float } ? s.Items<float>()[0] : null;
    }
}
