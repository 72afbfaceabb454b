using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Conformance.Tests.Float;

/// <summary>
/// A residual Add whose shortcut is a pool output, as ResNet's first block has it: ORT (level ALL, AVX512F) turns a
/// float pool into an NCHWc pool when shape inference knows its channel count and it fills 16-wide blocks, so the Add
/// folds into the conv beside it and sums in the conv's order; with other channel counts the pool stays NCHW and the
/// Add runs alone. Either way SiliconSim must give ORT's bits, with a free batch dimension as exporters write it.
/// </summary>
public sealed class NchwcPoolShortcutTests
{
    [Theory]
    [InlineData("MaxPool", 16, 2)]
    [InlineData("MaxPool", 32, 1)]
    [InlineData("MaxPool", 24, 2)]
    [InlineData("AveragePool", 16, 2)]
    [InlineData("AveragePool", 24, 1)]
    public void ConvPlusPooledShortcut_MatchesOrtBitForBit(string pool, int channels, int batch)
    {
        var rng = new Random((channels * 7) + batch);
        const int Size = 12;
        var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, null, 3, Size, Size);
        b.Initializer("w0", Floats(rng, [channels, 3, 3, 3], 0.5f)).Initializer("b0", Floats(rng, [channels], 0.1f));
        b.Initializer("w1", Floats(rng, [channels, channels, 3, 3], 0.2f)).Initializer("b1", Floats(rng, [channels], 0.1f));
        (string, object)[] same = [("pads", new long[] { 1, 1, 1, 1 })];
        b.Node("Conv", ["x", "w0", "b0"], ["c0"], attributes: same);
        b.Node("Relu", ["c0"], ["r0"]);
        b.Node(pool, ["r0"], ["p"], attributes: [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })]);
        b.Node("Conv", ["p", "w1", "b1"], ["c1"], attributes: same);
        b.Node("Add", ["c1", "p"], ["s"]);
        b.Node("Relu", ["s"], ["y"]);
        b.Output("y", DataType.Float);
        byte[] model = b.ToBytes();
        TensorValue x = Floats(rng, [batch, 3, Size, Size], 1f);

        TensorValue expected = OrtOracle.RunSingle(model, ("x", x));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        TensorValue actual = GraphExecutor.Run(lowered, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = x })[0].Value;

        float[] e = expected.Items<float>(), a = actual.Items<float>();
        Assert.Equal(e.Length, a.Length);
        int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
        Assert.True(mismatches == 0, $"{pool} shortcut, {channels} channels, batch {batch}: {mismatches} of {e.Length} values differ from ORT");

        // The fold itself: with whole 16-wide blocks the Add is gone into the conv, otherwise it stays.
        bool folded = lowered.Nodes.All(n => n.OpType != "Add");
        Assert.Equal(channels % 16 == 0, folded);
    }

    [Theory]
    [InlineData("Exp", 32)]
    [InlineData("Relu", 32)]
    [InlineData("Exp", 20)]
    [InlineData("Relu", 20)]
    public void GlobalAveragePool_OfAnNchwOrNchwcValue_MatchesOrtBitForBit(string producer, int channels)
    {
        // ORT converts a global pool only when its input is already NCHWc (a conv's Relu is; an Exp's output is not).
        var rng = new Random(channels);
        const int Size = 9;
        var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, null, 4, Size, Size);
        b.Initializer("w", Floats(rng, [channels, 4, 3, 3], 0.5f));
        b.Node("Conv", ["x", "w"], ["c"], attributes: [("pads", new long[] { 1, 1, 1, 1 })]);
        b.Node(producer, ["c"], ["a"]);
        b.Node("GlobalAveragePool", ["a"], ["y"]);
        b.Output("y", DataType.Float);
        byte[] model = b.ToBytes();
        TensorValue x = Floats(rng, [2, 4, Size, Size], 1f);

        TensorValue expected = OrtOracle.RunSingle(model, ("x", x));
        TensorValue actual = GraphExecutor.Run(OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model))), new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = x })[0].Value;
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
        Assert.True(mismatches == 0, $"GlobalAveragePool of {producer}, {channels} channels: {mismatches} of {e.Length} values differ from ORT");
    }

    private static TensorValue Floats(Random rng, int[] shape, float range) =>
        TensorValue.FromFloats(shape, [.. Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)(((rng.NextDouble() * 2) - 1) * range))]);
}
