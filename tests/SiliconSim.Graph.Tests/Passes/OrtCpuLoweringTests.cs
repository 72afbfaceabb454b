using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>
/// The lowering must choose the same kernels ONNX Runtime chooses: ORT writes its own optimised graph
/// (SessionOptions.OptimizedModelFilePath, at ORT_ENABLE_EXTENDED so the layout-only NCHWc/NHWC rewrites of level ALL
/// stay out) and the op counts of both graphs are compared.
/// </summary>
public sealed class OrtCpuLoweringTests
{
    /// <summary>Ops whose presence decides the arithmetic; Q/DQ counts differ by ORT's own cleanups and are checked apart.</summary>
    private static readonly string[] s_kernelOps =
        ["QLinearConv", "QGemm", "QLinearMatMul", "MatMulIntegerToFloat", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearSoftmax", "Conv", "Gemm", "MatMul", "Add", "Mul", "GlobalAveragePool", "MaxPool"];

    public static TheoryData<string> QuantizedDigitsCases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.Digits).Where(d => !d.EndsWith("_fp32", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QuantizedDigitsCases))]
    public void Lowering_ChoosesTheKernelsOrtChooses(string caseName)
    {
        string modelPath = Path.Combine(SharedData.Digits, caseName, "model.onnx");
        ModelGraph ours = OrtCpuLowering.Lower(Load(modelPath));
        ModelGraph ort = Load(OrtOptimized(modelPath));

        foreach (string op in s_kernelOps)
        {
            Assert.True(Count(ours, op) == Count(ort, op), $"{caseName}: {op} x{Count(ours, op)} in SiliconSim's lowering, x{Count(ort, op)} in ORT's graph");
        }
    }

    /// <summary>Op for op, Q/DQ included: with constant folding, QDQ propagation and the Relu/Clip rules, every op of
    /// ORT's optimised graph is accounted for (its activation fusions counted as the two ops they join).</summary>
    [Theory]
    [MemberData(nameof(QuantizedDigitsCases))]
    public void Lowering_HasEveryOpOfOrtsGraph(string caseName)
    {
        byte[] model = File.ReadAllBytes(Path.Combine(SharedData.Digits, caseName, "model.onnx"));
        Assert.Equal(OrtGraphs.Histogram(OrtGraphs.UndoActivationFusions(OrtGraphs.Optimized(model))), OrtGraphs.Lowered(model));
    }

    [Fact]
    public void S8ToU8_KeepsInt8WhenAQuantizedTensorFeedsTwoNodes()
    {
        // x -> Q(int8) -> DQ -> {Conv-unit A, Add}: after unique-DQ the Q feeds two DQs, so it must stay int8 and the
        // convolution must stay in float (ort-cpu-semantics.md R2).
        var builder = ResidualGraph();
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(builder.Model));
        Assert.Equal(0, Count(lowered, "QLinearConv"));
        Assert.Equal(1, Count(lowered, "Conv"));
        Assert.Equal(Count(Load(OrtOptimized(builder.ToBytes())), "Conv"), Count(lowered, "Conv"));
    }

    private static TestSupport.OnnxBuilder ResidualGraph()
    {
        var b = new TestSupport.OnnxBuilder(opset: 17)
            .Input("x", Numerics.DataType.Float, 1, 2, 4, 4)
            .Initializer("s", Numerics.TensorValue.Scalar(Numerics.DataType.Float, 0.05f))
            .Initializer("z", Numerics.TensorValue.Scalar(Numerics.DataType.Int8, (sbyte)3))
            .Initializer("wq", Numerics.TensorValue.Create(Numerics.DataType.Int8, [2, 2, 1, 1], new sbyte[] { 10, -3, 4, 7 }))
            .Initializer("ws", Numerics.TensorValue.Scalar(Numerics.DataType.Float, 0.02f))
            .Initializer("wz", Numerics.TensorValue.Scalar(Numerics.DataType.Int8, (sbyte)0))
            .Node("QuantizeLinear", ["x", "s", "z"], ["xq"])
            .Node("DequantizeLinear", ["xq", "s", "z"], ["xd"])
            .Node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"])
            .Node("Conv", ["xd", "wd"], ["c"])
            .Node("QuantizeLinear", ["c", "s", "z"], ["cq"])
            .Node("DequantizeLinear", ["cq", "s", "z"], ["cd"])
            .Node("Add", ["cd", "xd"], ["y"])
            .Output("y", Numerics.DataType.Float);
        return b;
    }

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);

    private static ModelGraph Load(string path)
    {
        using var s = File.OpenRead(path);
        return OnnxModelReader.Read(s);
    }

    private static ModelGraph Load(byte[] bytes) => OnnxModelReader.Read(new MemoryStream(bytes));

    private static byte[] OrtOptimized(string modelPath) => OrtOptimized(File.ReadAllBytes(modelPath));

    private static byte[] OrtOptimized(byte[] model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"siliconsim-ort-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
            using (var session = new InferenceSession(model, options))
            {
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
