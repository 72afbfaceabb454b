using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Passes;

/// <summary>
/// ORT's MatMulAddFusion (core/optimizer/matmul_add_fusion.cc, level 1 right after constant folding): a float MatMul
/// whose only reader is an Add becomes a Gemm with the Add's other input as C, when B is 2-D and C is [N] (or, for a 2-D
/// A, [1, N], [M, 1] or [M, N]). An A of another rank needs a fully static shape: it is reshaped to [M, K] before the
/// Gemm and the result back to A's shape with N last. The Gemm fills Y with C and accumulates fma(acc, 1, C) per K
/// block (see GemmKernel), which equals MatMul-then-Add only while K fits one block. ORT 1.31 fuses the attention
/// projections too (no attention-pattern exemption is observed on CPU), and so does this pass.
/// </summary>
public sealed class MatMulAddFusion : IGraphPass
{
    public string Name => "matmul-add-fusion";

    public void Apply(GraphEditor graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        SymbolicShapes? shapes = null;
        foreach (Node matmul in graph.Nodes.ToList())
        {
            if (!graph.Nodes.Contains(matmul) || !FusionPatterns.Is(matmul, "MatMul") || !FusionPatterns.HasOutputEdges(graph, matmul, 1))
            {
                continue;
            }

            Node add = FusionPatterns.OnlyConsumer(graph, matmul)!;
            if (!FusionPatterns.Is(add, "Add") || add.Inputs.Length != 2 || graph.TypeOf(matmul.Inputs[0]) != graph.TypeOf(add.Inputs[0])
                || graph.TypeOf(matmul.Inputs[0]) != DataType.Float)
            {
                continue;
            }

            shapes ??= new SymbolicShapes(graph);
            int?[]? a = shapes.Of(matmul.Inputs[0]);
            int?[]? b = shapes.Of(matmul.Inputs[1]);
            if (a is null || b is not { Length: 2 })
            {
                continue;
            }

            bool reshape = a.Length != 2;
            if (reshape && (a.Any(d => d is null) || b.Any(d => d is null)))
            {
                continue;
            }

            int biasIndex = add.Inputs[0] == matmul.Outputs[0] ? 1 : 0;
            string bias = add.Inputs[biasIndex];
            if (shapes.Of(bias) is not { } c || !ValidBias(c, a, b[1], reshape))
            {
                continue;
            }

            if (!reshape)
            {
                var gemm = new Node(graph.FreshName(matmul.Name + "/MatMulAddFusion"), "Gemm", string.Empty,
                    [matmul.Inputs[0], matmul.Inputs[1], bias], add.Outputs, ImmutableDictionary<string, AttributeValue>.Empty);
                FusionPatterns.Replace(graph, [matmul, add], gemm);
            }
            else
            {
                int m = a.Take(a.Length - 1).Aggregate(1, (p, d) => p * d!.Value);
                int k = b[0]!.Value;
                int n = b[1]!.Value;
                string inShape = graph.FreshName("gemm_input_shape");
                string outShape = graph.FreshName("gemm_output_shape");
                graph.SetInitializer(inShape, TensorValue.Create(DataType.Int64, [2], new long[] { m, k }));
                graph.SetInitializer(outShape, TensorValue.Create(DataType.Int64, [a.Length], a.Take(a.Length - 1).Select(d => (long)d!.Value).Append(n).ToArray()));
                string gemmIn = graph.FreshName("gemm_input_reshape_arg");
                string gemmOut = graph.FreshName("gemm_output_reshape_arg");
                graph.Types[gemmIn] = DataType.Float;
                graph.Types[gemmOut] = DataType.Float;
                var none = ImmutableDictionary<string, AttributeValue>.Empty;
                Node r1 = new(graph.FreshName("gemm_input_reshape"), "Reshape", string.Empty, [matmul.Inputs[0], inShape], [gemmIn], none);
                Node gemm = new(graph.FreshName(matmul.Name + "/MatMulAddFusion"), "Gemm", string.Empty, [gemmIn, matmul.Inputs[1], bias], [gemmOut], none);
                Node r2 = new(graph.FreshName("gemm_output_reshape"), "Reshape", string.Empty, [gemmOut, outShape], add.Outputs, none);
                int at = graph.Nodes.IndexOf(add);
                graph.Nodes.InsertRange(at + 1, [r1, gemm, r2]);
                graph.Remove(matmul);
                graph.Remove(add);
            }

            shapes = null;
        }
    }

    /// <summary>Gemm's C broadcasts one way only: [N], or for an un-reshaped A, [1, N], [M, 1] or [M, N].</summary>
    private static bool ValidBias(int?[] c, int?[] a, int? n, bool reshape) =>
        (c.Length == 1 && c[0] is not null && c[0] == n)
        || (!reshape && c.Length == 2 && c[0] == 1 && c[1] is not null && c[1] == n)
        || (!reshape && c.Length == 2 && c[0] is not null && c[0] == a[0] && (c[1] == 1 || (c[1] is not null && c[1] == n)));
}
