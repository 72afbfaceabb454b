using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Numerics.Tests.Arithmetic;

/// <summary>Round (ties included), Reciprocal and variadic broadcasting Sum against ONNX Runtime, bit for bit.</summary>
public sealed class RoundReciprocalSumOrtTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Round_MatchesOrtIncludingTies(int seed)
    {
        var rng = new Random(seed);
        float[] x = Enumerable.Range(0, 400).Select(i => i % 4 == 0 ? (i / 8) + 0.5f : (float)((rng.NextDouble() - 0.5) * 40)).Concat([-0.5f, 0.5f, -2.5f, 1e30f, float.NaN, -0f]).ToArray();
        AssertSameAsOrt("Round", [("x", TensorValue.FromFloats([x.Length], x))], opset: 11);
    }

    [Fact]
    public void Reciprocal_MatchesOrt()
    {
        var rng = new Random(3);
        float[] x = Enumerable.Range(0, 500).Select(_ => (float)((rng.NextDouble() - 0.5) * System.Math.Pow(10, rng.Next(-8, 8)))).Concat([0f, -0f, float.PositiveInfinity]).ToArray();
        AssertSameAsOrt("Reciprocal", [("x", TensorValue.FromFloats([x.Length], x))], opset: 13);
    }

    [Fact]
    public void Sum_OfThreeBroadcastInputs_MatchesOrt()
    {
        var rng = new Random(4);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2e3 - 1e3) / 7f).ToArray();
        AssertSameAsOrt("Sum", [("a", TensorValue.FromFloats([3, 1, 5], R(15))), ("b", TensorValue.FromFloats([4, 5], R(20))), ("c", TensorValue.FromFloats([1], R(1)))], opset: 13);
    }

    private static void AssertSameAsOrt(string op, (string Name, TensorValue Value)[] inputs, int opset)
    {
        var b = new OnnxBuilder(opset);
        foreach (var (name, value) in inputs)
        {
            b.Input(name, value.Type, [.. value.Shape.Select(d => (int?)d)]);
        }

        b.Node(op, [.. inputs.Select(i => i.Name)], ["y"]).Output("y", DataType.Float);
        byte[] model = b.ToBytes();
        TensorValue expected = OrtOracle.Run(model, inputs)[0].Value;
        ModelGraph graph = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        TensorValue actual = GraphExecutor.Run(graph, inputs.ToDictionary(i => i.Name, i => i.Value))[0].Value;
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        Assert.Equal(expected.Items<float>().Select(BitConverter.SingleToInt32Bits), actual.Items<float>().Select(BitConverter.SingleToInt32Bits));
    }
}
