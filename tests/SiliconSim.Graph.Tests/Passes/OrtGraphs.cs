using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// The two sides of a rewrite test: the graph ONNX Runtime writes after its own optimisation
/// (SessionOptions.OptimizedModelFilePath) and SiliconSim's lowering of the same model, with their op histograms and
/// outputs.
/// </summary>
internal static class OrtGraphs
{
    /// <summary>The optimised graph ORT writes for <paramref name="model"/> at <paramref name="level"/>.</summary>
    public static ModelGraph Optimized(byte[] model, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_EXTENDED)
    {
        string path = Path.Combine(Path.GetTempPath(), $"siliconsim-ort-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = path, IntraOpNumThreads = 1 })
            using (var session = new InferenceSession(model, options))
            {
            }

            return OnnxModelReader.Read(new MemoryStream(File.ReadAllBytes(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>ORT's level-2 activation fusions change no value (the activation runs on the kernel's output):
    /// FusedConv / FusedGemm are counted as the Conv / Gemm and their activation.</summary>
    public static ModelGraph UndoActivationFusions(ModelGraph g)
    {
        var nodes = new List<Node>();
        foreach (Node n in g.Nodes)
        {
            if (n.OpType is "FusedConv" or "FusedGemm")
            {
                nodes.Add(n with { OpType = n.OpType["Fused".Length..], Domain = string.Empty });
                nodes.Add(n with { OpType = n.Attributes["activation"].String!, Domain = string.Empty });
            }
            else
            {
                nodes.Add(n);
            }
        }

        return g with { Nodes = [.. nodes] };
    }

    /// <summary>"Op xN" for every op type, sorted: a histogram two graphs can be compared by.</summary>
    public static string Histogram(ModelGraph graph) =>
        string.Join(", ", graph.Nodes.GroupBy(n => n.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));

    /// <summary>The histogram restricted to the ops that compute (Q/DQ and data movement included).</summary>
    public static string Lowered(byte[] model, OrtOptimizationLevel level = OrtOptimizationLevel.Extended) =>
        Histogram(OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)), level));

    /// <summary>Runs our lowering of <paramref name="model"/> on <paramref name="inputs"/>.</summary>
    public static IReadOnlyList<(string Name, TensorValue Value)> RunLowered(byte[] model, IReadOnlyList<(string Name, TensorValue Value)> inputs, OrtOptimizationLevel level = OrtOptimizationLevel.All)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)), level);
        return GraphExecutor.Run(lowered, inputs.ToDictionary(i => i.Name, i => i.Value));
    }

    /// <summary>Asserts that our lowering of <paramref name="model"/> gives ORT's float outputs bit for bit, naming the case and how many values differ.</summary>
    public static void AssertSameBitsAsOrt(string name, byte[] model, IReadOnlyList<(string Name, TensorValue Value)> inputs)
    {
        var expected = OrtOracle.Run(model, inputs);
        var actual = RunLowered(model, inputs);
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            float[] e = expected[k].Value.Items<float>();
            float[] a = actual[k].Value.Items<float>();
            Assert.Equal([.. expected[k].Value.Shape], actual[k].Value.Shape.ToArray());
            int mismatches = e.Where((v, i) => BitConverter.SingleToInt32Bits(v) != BitConverter.SingleToInt32Bits(a[i])).Count();
            Assert.True(mismatches == 0, $"{name} output {k}: {mismatches} of {e.Length} differ");
        }
    }
}
