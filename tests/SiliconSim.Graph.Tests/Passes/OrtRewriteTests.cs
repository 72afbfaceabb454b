using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// Each of ORT's level-1/2 QDQ rewrites on a small graph made to trigger it (or made so it must not): SiliconSim's
/// lowering must hold the same ops as the graph ORT writes itself, and give ORT's outputs bit for bit.
/// </summary>
public sealed class OrtRewriteTests(ITestOutputHelper output)
{
    /// <summary>Cases where ORT applies a value-neutral rewrite SiliconSim does not model (none at present).</summary>
    private static readonly HashSet<string> s_unmodelledNeutralRewrites = new(StringComparer.Ordinal);

    public static TheoryData<string> Cases() => [.. RewriteCases.All.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> OpCases() => [.. RewriteCases.All.Keys.Where(k => !s_unmodelledNeutralRewrites.Contains(k)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(OpCases))]
    public void Lowering_HasTheOpsOfOrtsOptimizedGraph(string name)
    {
        byte[] model = RewriteCases.All[name]();
        string ort = OrtGraphs.Histogram(OrtGraphs.UndoActivationFusions(OrtGraphs.Optimized(model)));
        string ours = OrtGraphs.Lowered(model);
        output.WriteLine($"ORT:  {ort}\nours: {ours}");
        Assert.Equal(ort, ours);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lowering_GivesOrtsOutputs(string name)
    {
        byte[] model = RewriteCases.All[name]();
        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(model));
        var rng = new Random(name.Length * 7919);
        var inputs = graph.RuntimeInputs.Select(i => (i.Name, Random(rng, [.. i.Dims.Select(d => d ?? 3)]))).ToList();
        OrtGraphs.AssertSameBitsAsOrt(name, model, inputs);
    }

    private static TensorValue Random(Random rng, int[] shape)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 8) - 4);
        }

        return TensorValue.Create(DataType.Float, shape, data);
    }
}
