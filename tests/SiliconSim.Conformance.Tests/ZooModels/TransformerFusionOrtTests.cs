using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The float fusions of transformer graphs on small graphs: each graph runs through ONNX Runtime (level ALL) and through
/// SiliconSim's lowering + executor, bits compared, and the fused ops counted against ORT's optimised graph, so both
/// the rewrite's conditions and the fused kernel's arithmetic are checked. Inputs are seeded and span erf's branches.
/// </summary>
public sealed class TransformerFusionOrtTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GeluPattern1_WithBias_BecomesBiasGelu(int seed)
    {
        // 0.5·x feeds the last Mul (pattern 1); the Add before it has a 1-D bias, so BiasGelu takes it.
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, null, 5, 24)
            .Initializer("w", Uniform([24, 32], 0.4, seed))
            .Initializer("bias", Uniform([32], 1.0, seed + 1))
            .Initializer("sqrt2", TensorValue.Scalar(DataType.Float, 1.4142135f))
            .Initializer("one", TensorValue.Scalar(DataType.Float, 1f))
            .Initializer("half", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("MatMul", ["x", "w"], ["mm"])
            .Node("Add", ["mm", "bias"], ["h"])
            .Node("Div", ["h", "sqrt2"], ["d"])
            .Node("Erf", ["d"], ["e"])
            .Node("Add", ["e", "one"], ["e1"])
            .Node("Mul", ["h", "half"], ["hh"])
            .Node("Mul", ["hh", "e1"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, Uniform([3, 5, 24], 3.0, seed + 2), ("BiasGelu", 1), ("Gelu", 0), ("Erf", 0));
    }

    [Fact]
    public void GeluPattern2_OnAGraphInput_BecomesGelu()
    {
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, 4, 50)
            .Initializer("sqrt2", TensorValue.Scalar(DataType.Float, 1.4142135f))
            .Initializer("one", TensorValue.Scalar(DataType.Float, 1f))
            .Initializer("half", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("Div", ["x", "sqrt2"], ["d"])
            .Node("Erf", ["d"], ["e"])
            .Node("Add", ["one", "e"], ["e1"])
            .Node("Mul", ["x", "e1"], ["m"])
            .Node("Mul", ["m", "half"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, Uniform([4, 50], 6.0, 9), ("Gelu", 1), ("BiasGelu", 0));
    }

    [Fact]
    public void GeluWithTwoDimensionalBias_KeepsTheAdd()
    {
        // BiasGeluFusion wants a 1-D bias; a [1, 32] one leaves Add + Gelu.
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, null, 32)
            .Initializer("bias", Uniform([1, 32], 1.0, 3))
            .Initializer("sqrt2", TensorValue.Scalar(DataType.Float, 1.4142135f))
            .Initializer("one", TensorValue.Scalar(DataType.Float, 1f))
            .Initializer("half", TensorValue.Scalar(DataType.Float, 0.5f))
            .Node("Add", ["x", "bias"], ["h"])
            .Node("Div", ["h", "sqrt2"], ["d"])
            .Node("Erf", ["d"], ["e"])
            .Node("Add", ["e", "one"], ["e1"])
            .Node("Mul", ["h", "e1"], ["m"])
            .Node("Mul", ["m", "half"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, Uniform([7, 32], 4.0, 4), ("Gelu", 1), ("BiasGelu", 0), ("Add", 1));
    }

    [Theory]
    [InlineData(8f)]
    [InlineData(64f)]
    [InlineData(3f)]
    public void DivOfAttentionScores_BecomesFusedMatMulAlpha(float dk)
    {
        // alpha = 1f / √dk: exact for 64, rounded for 8 and 3, so the fused result differs from the Div there.
        var b = new OnnxBuilder(opset: 17)
            .Input("q", DataType.Float, null, 4, 6, 8)
            .Input("k", DataType.Float, null, 4, 8, 6)
            .Initializer("scale", TensorValue.Scalar(DataType.Float, MathF.Sqrt(dk)))
            .Node("MatMul", ["q", "k"], ["s"])
            .Node("Div", ["s", "scale"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("q", Uniform([2, 4, 6, 8], 2.0, 5)), ("k", Uniform([2, 4, 8, 6], 2.0, 6))], ("FusedMatMul", 1), ("Div", 0));
    }

    [Fact]
    public void MulOnAnInputAndDivOnTheOutput_MultiplyIntoOneAlpha()
    {
        var b = new OnnxBuilder(opset: 17)
            .Input("a", DataType.Float, 1, 20)
            .Initializer("w", Uniform([20, 16], 1.0, 7))
            .Initializer("c", TensorValue.Scalar(DataType.Float, 0.3f))
            .Initializer("d", TensorValue.Create(DataType.Float, [1], new[] { 1.7f }))
            .Node("Mul", ["c", "a"], ["as"])
            .Node("MatMul", ["as", "w"], ["p"])
            .Node("Div", ["p", "d"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("a", Uniform([1, 20], 2.0, 8))], ("FusedMatMul", 1), ("Mul", 0), ("Div", 0));
    }

    [Fact]
    public void ScaleWithMoreDimsThanTheOperand_IsNotFused()
    {
        var b = new OnnxBuilder(opset: 17)
            .Input("a", DataType.Float, 3, 5)
            .Input("bm", DataType.Float, 5, 4)
            .Initializer("d", TensorValue.Create(DataType.Float, [1, 1, 1], new[] { 3f }))
            .Node("MatMul", ["a", "bm"], ["p"])
            .Node("Div", ["p", "d"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("a", Uniform([3, 5], 2.0, 10)), ("bm", Uniform([5, 4], 2.0, 11))], ("FusedMatMul", 0), ("Div", 1));
    }

    [Theory]
    [InlineData(new[] { 4, 300 })]
    [InlineData(new[] { 2, 5, 300 })]
    public void MatMulThenBiasAdd_BecomesGemm(int[] aShape)
    {
        // K = 300 splits into two K blocks in the packed SGEMM, so Gemm's fma(acc, 1, C) per block differs from
        // MatMul-then-Add: only the same rewrite gives ORT's bits. A 3-D A is reshaped around the Gemm.
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, [.. aShape.Select(d => (int?)d)])
            .Initializer("w", Uniform([300, 24], 0.3, 18))
            .Initializer("bias", Uniform([24], 1.0, 19))
            .Node("MatMul", ["x", "w"], ["mm"])
            .Node("Add", ["bias", "mm"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, Uniform(aShape, 2.0, 20), ("Gemm", 1), ("MatMul", 0), ("Add", 0));
    }

    [Fact]
    public void MatMulThenBiasAdd_WithSymbolicBatch3D_StaysMatMul()
    {
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, null, 5, 300)
            .Initializer("w", Uniform([300, 24], 0.3, 18))
            .Initializer("bias", Uniform([24], 1.0, 19))
            .Node("MatMul", ["x", "w"], ["mm"])
            .Node("Add", ["mm", "bias"], ["y"])
            .Output("y", DataType.Float);
        AssertLikeOrt(b, Uniform([2, 5, 300], 2.0, 21), ("Gemm", 0), ("MatMul", 1), ("Add", 1));
    }

    [Theory]
    [InlineData(false, false, 0.7f)]
    [InlineData(true, false, 1.3f)]
    [InlineData(false, true, -0.45f)]
    [InlineData(true, true, 1f)]
    public void FusedMatMulNode_MatchesOrt(bool transA, bool transB, float alpha)
    {
        int[] aShape = transA ? [2, 3, 9, 5] : [2, 3, 5, 9];
        int[] bShape = transB ? [3, 7, 9] : [3, 9, 7];
        var b = new OnnxBuilder(opset: 17)
            .Input("a", DataType.Float, [.. aShape.Select(d => (int?)d)])
            .Input("bm", DataType.Float, [.. bShape.Select(d => (int?)d)])
            .Node("FusedMatMul", ["a", "bm"], ["y"], "com.microsoft", null, ("alpha", alpha), ("transA", transA ? 1L : 0L), ("transB", transB ? 1L : 0L))
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("a", Uniform(aShape, 2.0, 12)), ("bm", Uniform(bShape, 2.0, 13))], ("FusedMatMul", 1));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.3f)]
    public void FusedMatMulNode_OneDimensionalB_MatchesOrt(float alpha)
    {
        // With alpha 1 every row of A is an M = 1 product (the AVX M1 kernel); otherwise the blocked FMA path.
        var b = new OnnxBuilder(opset: 17)
            .Input("a", DataType.Float, 2, 3, 21)
            .Input("v", DataType.Float, 21)
            .Node("FusedMatMul", ["a", "v"], ["y"], "com.microsoft", null, ("alpha", alpha))
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("a", Uniform([2, 3, 21], 2.0, 22)), ("v", Uniform([21], 2.0, 23))], ("FusedMatMul", 1));
    }

    [Fact]
    public void FusedMatMulNode_ConstantTwoDimensionalB_TakesThePackedPath()
    {
        // K = 300 > 256: the pre-packed B splits K at 256, the run-time path would not.
        var b = new OnnxBuilder(opset: 17)
            .Input("a", DataType.Float, 3, 300)
            .Initializer("bm", Uniform([300, 20], 1.0, 14))
            .Node("FusedMatMul", ["a", "bm"], ["y"], "com.microsoft", null, ("alpha", 0.37f))
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("a", Uniform([3, 300], 2.0, 15))], ("FusedMatMul", 1));
    }

    [Theory]
    [InlineData(64, false, false, 1)]
    [InlineData(64, true, true, 2)]
    [InlineData(5, true, false, 3)]
    [InlineData(200, false, true, 4)]
    public void SkipLayerNormalizationNode_MatchesOrt(int hidden, bool withBias, bool broadcastSkip, int seed)
    {
        int[] xShape = [3, 7, hidden];
        int[] skipShape = broadcastSkip ? [7, hidden] : xShape;
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, [.. xShape.Select(d => (int?)d)])
            .Input("skip", DataType.Float, [.. skipShape.Select(d => (int?)d)])
            .Initializer("gamma", Uniform([hidden], 1.5, seed))
            .Initializer("beta", Uniform([hidden], 0.2, seed + 1))
            .Initializer("bias", Uniform([hidden], 0.5, seed + 2))
            .Node("SkipLayerNormalization", withBias ? ["x", "skip", "gamma", "beta", "bias"] : ["x", "skip", "gamma", "beta"], ["y"], "com.microsoft", null, ("epsilon", 1e-5f))
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("x", Uniform(xShape, 4.0, seed + 3)), ("skip", Uniform(skipShape, 4.0, seed + 4))], ("SkipLayerNormalization", 1));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(12.0)]
    public void BiasGeluNode_MatchesOrt(double range)
    {
        var b = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, 6, 5, 40)
            .Input("bias", DataType.Float, 40)
            .Node("BiasGelu", ["x", "bias"], ["y"], "com.microsoft")
            .Output("y", DataType.Float);
        AssertLikeOrt(b, [("x", Uniform([6, 5, 40], range, 16)), ("bias", Uniform([40], range, 17))], ("BiasGelu", 1));
    }

    private static void AssertLikeOrt(OnnxBuilder b, TensorValue x, params (string Op, int Count)[] expectedOps) =>
        AssertLikeOrt(b, [("x", x)], expectedOps);

    private static void AssertLikeOrt(OnnxBuilder b, (string Name, TensorValue Value)[] feeds, params (string Op, int Count)[] expectedOps)
    {
        byte[] bytes = b.ToBytes();
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(b.Model));
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(bytes)));
        foreach ((string op, int count) in expectedOps)
        {
            Assert.True(Count(ort, op) == count, $"the test expects ORT to make {count} {op}, ORT made {Count(ort, op)}");
            Assert.True(Count(lowered, op) == count, $"{op} x{Count(lowered, op)} in SiliconSim's lowering, x{count} in ORT's graph");
        }

        TensorValue ours = GraphExecutor.Run(lowered, feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal))[0].Value;
        TensorValue expected = OrtOracle.Run(bytes, feeds)[0].Value;
        TransformerEncoderTests.AssertSameBits(ours, expected, string.Join(",", expectedOps.Select(e => e.Op)));
    }

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);

    private static TensorValue Uniform(int[] shape, double range, int seed)
    {
        var r = new Random(seed);
        var v = new float[(int)ShapeMath.ElementCount(shape)];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(((r.NextDouble() * 2) - 1) * range);
        }

        return TensorValue.FromFloats(shape, v);
    }
}
