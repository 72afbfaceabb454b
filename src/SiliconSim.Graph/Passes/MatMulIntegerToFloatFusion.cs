using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's MatMulIntegerToFloatFusion (core/optimizer/matmul_integer_to_float.cc, level 2, right after the QDQ
/// transformers): the tail quantize_dynamic writes after each MatMulInteger, Mul(Cast(MatMulInteger(A, B, A_zp, B_zp)),
/// Mul(A_scale, B_scale)) and an optional Add of a constant bias (shape [1, ..., 1, N], N &gt; 1), becomes one
/// com.microsoft MatMulIntegerToFloat(A, B, A_scale, B_scale, A_zp, B_zp[, bias]). The MatMulInteger, Cast and scale
/// Mul must each have a single reader and no graph output. The fused kernel computes float(acc)·(A_scale·B_scale) then
/// adds the bias, as the unfused chain does, so the rewrite decides the kernel, not the bits.
/// </summary>
public sealed class MatMulIntegerToFloatFusion : IGraphPass
{
    public string Name => "matmul-integer-to-float-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (Node mul in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(mul) || !FusionPatterns.Is(mul, "Mul") || mul.Inputs.Length != 2)
            {
                continue;
            }

            Node? cast = FirstParent(graph, mul, "Cast");
            Node? mmi = cast is null ? null : FirstParent(graph, cast, "MatMulInteger");
            Node? scales = FirstParent(graph, mul, "Mul");
            if (cast is null || mmi is null || scales is null || scales.Inputs.Length != 2
                || !FusionPatterns.HasOutputEdges(graph, cast, 1) || !FusionPatterns.HasOutputEdges(graph, mmi, 1) || !FusionPatterns.HasOutputEdges(graph, scales, 1))
            {
                continue;
            }

            Node? add = null;
            string? bias = null;
            if (FusionPatterns.HasOutputEdges(graph, mul, 1) && FusionPatterns.OnlyConsumer(graph, mul) is { } child && FusionPatterns.Is(child, "Add") && child.Inputs.Length == 2)
            {
                // The bias is the Add's other input, a constant [1, ..., 1, N] with N > 1; exporters put it first or second.
                string other = child.Inputs[0] == mul.Outputs[0] ? child.Inputs[1] : child.Inputs[0];
                if (graph.Constant(other) is { } b && IsBiasShape(b))
                {
                    add = child;
                    bias = other;
                }
            }

            var inputs = ImmutableArray.CreateBuilder<string>();
            inputs.AddRange(mmi.Inputs[0], mmi.Inputs[1], scales.Inputs[0], scales.Inputs[1]);
            inputs.Add(mmi.Inputs.Length >= 3 ? mmi.Inputs[2] : string.Empty);
            inputs.Add(mmi.Inputs.Length >= 4 ? mmi.Inputs[3] : string.Empty);
            if (bias is not null)
            {
                inputs.Add(bias);
            }

            Node last = add ?? mul;
            var fused = new Node(graph.FreshName("MatMulIntegerToFloat"), "MatMulIntegerToFloat", GeluFusion.MsDomain, inputs.ToImmutable(), last.Outputs, ImmutableDictionary<string, AttributeValue>.Empty);
            FusionPatterns.Replace(graph, add is null ? [mmi, cast, scales, mul] : [mmi, cast, scales, mul, add], fused);
        }
    }

    /// <summary>graph_utils::FirstParentByType: the producer of the first input that comes from a node of that type.</summary>
    internal static Node? FirstParent(GraphEditor graph, Node node, string opType) =>
        node.Inputs.Where(i => i.Length > 0).Select(graph.Producer).FirstOrDefault(p => p is not null && p.OpType == opType);

    private static bool IsBiasShape(TensorValue b) =>
        b.Rank >= 1 && b.Shape.Take(b.Rank - 1).All(d => d == 1) && b.Shape[^1] > 1;
}
