using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's ClipQuantFusion (level 2 rewrite rule, optimizer/qdq_transformer/clip_quantizelinear.cc): a Clip with
/// constant bounds, read only by a QuantizeLinear whose representable range [scale·(qmin − zp), scale·(qmax − zp)] lies
/// inside the Clip's (within float epsilon), is removed. The Q's scale and zero point must be rank-0 constants.
/// </summary>
public sealed class ClipQuantFusion : IGraphPass
{
    /// <summary>std::numeric_limits&lt;float&gt;::epsilon (2^-23), not .NET's float.Epsilon.</summary>
    private const float MachineEpsilon = 1.1920929E-07f;

    public string Name => "clip-quant-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node clip in graph.Nodes.Where(n => n.OpType == "Clip" && n.NormalizedDomain.Length == 0).ToList())
        {
            Node? q = ReluQuantFusion.SoleQuantizeReader(graph, clip);
            if (q is null || !ClipBounds(graph, clip, out float min, out float max) || !QuantizedRange(graph, q, out float lower, out float upper))
            {
                continue;
            }

            if (!(MachineEpsilon < min - lower) && !(MachineEpsilon < upper - max))
            {
                ReluQuantFusion.Bypass(graph, clip, q);
            }
        }
    }

    /// <summary>optimizer_utils::GetClipConstantMinMax: attributes before opset 11, optional constant inputs after.</summary>
    private static bool ClipBounds(GraphEditor graph, Node clip, out float min, out float max)
    {
        min = float.MinValue;
        max = float.MaxValue;
        if (graph.Source.OpsetOf(string.Empty) < 11)
        {
            min = clip.Attributes.TryGetValue("min", out var a) ? a.Float : min;
            max = clip.Attributes.TryGetValue("max", out var b) ? b.Float : max;
            return true;
        }

        return Bound(graph, clip, 1, ref min) && Bound(graph, clip, 2, ref max);
    }

    private static bool Bound(GraphEditor graph, Node clip, int slot, ref float value)
    {
        if (clip.Inputs.Length <= slot || clip.Inputs[slot].Length == 0)
        {
            return true;
        }

        TensorValue? t = QdqMatch.ConstantOf(graph, clip.Inputs[slot]);
        if (t is null || t.Type != DataType.Float || t.Length != 1)
        {
            return false;
        }

        value = t.Items<float>()[0];
        return true;
    }

    private static bool QuantizedRange(GraphEditor graph, Node q, out float lower, out float upper)
    {
        lower = upper = 0;
        if (q.Inputs.Length != 3)
        {
            return false;
        }

        TensorValue? s = QdqMatch.ConstantOf(graph, q.Inputs[1]);
        TensorValue? z = QdqMatch.ConstantOf(graph, q.Inputs[2]);
        if (s is not { Rank: 0, Type: DataType.Float } || z is not { Rank: 0 })
        {
            return false;
        }

        float scale = s.Items<float>()[0];
        switch (z.Type)
        {
            case DataType.Int8:
                {
                    int zp = z.Items<sbyte>()[0];
                    lower = scale * (-128 - zp);
                    upper = scale * (127 - zp);
                    return true;
                }

            case DataType.UInt8:
                {
                    int zp = z.Items<byte>()[0];
                    lower = scale * (0 - zp);
                    upper = scale * (255 - zp);
                    return true;
                }

            default:
                return false;
        }
    }
}
