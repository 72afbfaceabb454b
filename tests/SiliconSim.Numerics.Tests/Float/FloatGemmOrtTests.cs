using Microsoft.ML.OnnxRuntime;
using SiliconSim.Numerics.Kernels.Float;
using SiliconSim.TestSupport;
using Xunit.Abstractions;
using static SiliconSim.Numerics.Tests.Float.OrtModels;

namespace SiliconSim.Numerics.Tests.Float;

public sealed class FloatGemmOrtTests
{
    private static readonly GraphOptimizationLevel[] s_levels = [GraphOptimizationLevel.ORT_ENABLE_EXTENDED, GraphOptimizationLevel.ORT_ENABLE_ALL];
    // A DQ that feeds only a 2-D MatMul/Gemm B is rewritten by ORT into com.microsoft.MatMulNBits (bits = 8), a
    // different kernel; see MatMul_DequantizedInt8Weight_IsRewrittenToMatMulNBits. The other sources run MLAS SGEMM.
    private static readonly WeightSource[] s_sources = [WeightSource.GraphInput, WeightSource.Constant, WeightSource.DequantizedKept];
    private readonly ITestOutputHelper _out;

    public FloatGemmOrtTests(ITestOutputHelper output) => _out = output;

    /// <summary>(M, K, N, transA, transB, alpha·100, beta·100, C kind: 0 none, 1 [N], 2 [M,N], 3 scalar, 4 [M,1]).</summary>
    public static TheoryData<int[]> GemmCases() => new()
    {
        { new[] { 4, 64, 128, 0, 1, 100, 100, 1 } },
        { new[] { 1, 64, 128, 0, 1, 100, 100, 1 } },
        { new[] { 1, 300, 10, 0, 0, 100, 100, 1 } },
        { new[] { 7, 300, 20, 0, 1, 100, 100, 2 } },
        { new[] { 5, 600, 3, 1, 0, 100, 100, 1 } },
        { new[] { 3, 9, 5, 0, 0, 50, 100, 0 } },
        { new[] { 6, 130, 33, 1, 1, 25, 75, 2 } },
        { new[] { 2, 260, 140, 0, 0, 100, 0, 1 } },
        { new[] { 13, 77, 1, 0, 0, 100, 100, 3 } },
        { new[] { 9, 520, 17, 0, 1, 100, 200, 4 } },
        { new[] { 1, 1000, 1, 0, 1, 100, 100, 0 } },
    };

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void Gemm_MatchesOrtBitExactly(int[] p)
    {
        (int m, int k, int n, bool ta, bool tb) = (p[0], p[1], p[2], p[3] != 0, p[4] != 0);
        (float alpha, float beta, int cKind) = (p[5] / 100f, p[6] / 100f, p[7]);
        int total = 0;
        foreach (WeightSource source in s_sources)
        {
            foreach (GraphOptimizationLevel level in s_levels)
            {
                var rng = new Random((m * 31) + k + n);
                var b = new OnnxBuilder(opset: 17);
                var feeds = new List<(string, TensorValue)>();
                int[] aShape = ta ? [k, m] : [m, k];
                float[] av = RandomFloats(rng, m * k);
                b.Input("a", DataType.Float, aShape.Select(d => (int?)d).ToArray());
                feeds.Add(("a", TensorValue.FromFloats(aShape, av)));
                int[] bShape = tb ? [n, k] : [k, n];
                AddWeight(b, feeds, "b", bShape, source, rng, out float[] bv);
                int[]? cShape = cKind switch { 1 => [n], 2 => [m, n], 3 => [], 4 => [m, 1], _ => null };
                TensorValue? c = null;
                var inputs = new List<string> { "a", "b" };
                if (cShape is not null)
                {
                    c = TensorValue.FromFloats(cShape, RandomFloats(rng, (int)ShapeMath.ElementCount(cShape)));
                    b.Initializer("c", c);
                    inputs.Add("c");
                }

                b.Node("Gemm", [.. inputs], ["y"], attributes: [("alpha", alpha), ("beta", beta), ("transA", (long)(ta ? 1 : 0)), ("transB", (long)(tb ? 1 : 0))]);
                b.Output("y", DataType.Float);
                TensorValue expected = Run(b, feeds, level);
                TensorValue actual = GemmKernel.Gemm(TensorValue.FromFloats(aShape, av), TensorValue.FromFloats(bShape, bv), c, alpha, beta, ta, tb, source == WeightSource.Constant);
                int bad = BitMismatches(expected.Items<float>(), actual.Items<float>());
                total += bad;
                _out.WriteLine($"{source,-12} {level,-22} mismatches {bad}/{actual.Length}");
            }
        }

        Assert.Equal(0, total);
    }

    /// <summary>A shape, B shape.</summary>
    public static TheoryData<int[], int[]> MatMulCases() => new()
    {
        { new[] { 3, 40 }, new[] { 40, 20 } },
        { new[] { 1, 300 }, new[] { 300, 50 } },
        { new[] { 300 }, new[] { 300, 7 } },
        { new[] { 5, 300 }, new[] { 300 } },
        { new[] { 2, 3, 140 }, new[] { 140, 9 } },
        { new[] { 2, 3, 140 }, new[] { 2, 140, 9 } },
        { new[] { 2, 1, 4, 30 }, new[] { 3, 30, 6 } },
        { new[] { 600 }, new[] { 2, 600, 3 } },
        { new[] { 2, 1, 520 }, new[] { 1, 520, 1 } },
    };

    [Theory]
    [MemberData(nameof(MatMulCases))]
    public void MatMul_MatchesOrtBitExactly(int[] aShape, int[] bShape)
    {
        int total = 0;
        foreach (WeightSource source in s_sources)
        {
            foreach (GraphOptimizationLevel level in s_levels)
            {
                var rng = new Random(aShape.Sum() + bShape.Sum());
                var b = new OnnxBuilder(opset: 17);
                var feeds = new List<(string, TensorValue)>();
                float[] av = RandomFloats(rng, (int)ShapeMath.ElementCount(aShape));
                b.Input("a", DataType.Float, aShape.Select(d => (int?)d).ToArray());
                feeds.Add(("a", TensorValue.FromFloats(aShape, av)));
                AddWeight(b, feeds, "b", bShape, source, rng, out float[] bv);
                b.Node("MatMul", ["a", "b"], ["y"]);
                b.Output("y", DataType.Float);
                TensorValue expected = Run(b, feeds, level);
                TensorValue actual = MatMulKernel.MatMul(TensorValue.FromFloats(aShape, av), TensorValue.FromFloats(bShape, bv), source == WeightSource.Constant);
                Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
                int bad = BitMismatches(expected.Items<float>(), actual.Items<float>());
                total += bad;
                _out.WriteLine($"{source,-12} {level,-22} mismatches {bad}/{actual.Length}");
            }
        }

        Assert.Equal(0, total);
    }

    [Fact]
    public void MatMul_DequantizedInt8Weight_IsRewrittenToMatMulNBits()
    {
        var rng = new Random(5);
        var b = new OnnxBuilder(opset: 17);
        var feeds = new List<(string, TensorValue)>();
        b.Input("a", DataType.Float, 3, 40);
        feeds.Add(("a", TensorValue.FromFloats([3, 40], RandomFloats(rng, 120))));
        AddWeight(b, feeds, "b", [40, 20], WeightSource.Dequantized, rng, out _);
        b.Node("MatMul", ["a", "b"], ["y"]);
        b.Output("y", DataType.Float);
        string path = Path.Combine(Path.GetTempPath(), $"siliconsim_nbits_{Environment.ProcessId}.onnx");
        try
        {
            using (var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
            using (var session = new InferenceSession(b.ToBytes(), so))
            {
            }

            var optimized = SiliconSim.Graph.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            Assert.Contains(optimized.Graph.Node, n => n.OpType == "MatMulNBits" && n.Domain == "com.microsoft");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
