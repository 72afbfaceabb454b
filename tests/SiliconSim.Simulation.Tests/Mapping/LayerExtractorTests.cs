using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Simulation.Tests.Mapping;

public sealed class LayerExtractorTests
{
    public static TheoryData<string> DigitsCases() =>
        [.. Directory.GetDirectories(SharedData.Digits).Where(d => File.Exists(Path.Combine(d, "model.onnx"))).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(DigitsCases))]
    public void DigitsModel_MacsEqualAnIndependentCountFromTheExecutedGraph(string name)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Read(File.OpenRead(Path.Combine(SharedData.Digits, name, "model.onnx"))));
        var observed = Observe(lowered, batch: 3);

        LayerExtractionResult result = LayerExtractor.ExtractWithShapes(lowered, observed);
        Assert.Equal(lowered.Nodes.Length, result.Layers.Length);
        Assert.Empty(result.UnknownShapes);
        long independent = 0;
        for (int i = 0; i < lowered.Nodes.Length; i++)
        {
            long macs = IndependentMacs(lowered, lowered.Nodes[i], observed);
            independent += macs;
            Assert.Equal(macs, result.Layers[i] is MatrixLayer m ? m.Macs : 0);
        }

        Assert.True(independent > 0, "every digits model has matrix ops");
        Assert.Equal(independent, result.TotalMacs);

        // Shapes from ShapeInference give the same matrix work as the shapes the executor produced.
        LayerExtractionResult inferred = LayerExtractor.Extract(lowered, ShapeInference.InputShapes(lowered, 3));
        Assert.Equal(
            result.Layers.OfType<MatrixLayer>().Select(l => (l.Name, l.Gemm, l.Groups, l.InputBytes, l.WeightBytes, l.OutputBytes)),
            inferred.Layers.OfType<MatrixLayer>().Select(l => (l.Name, l.Gemm, l.Groups, l.InputBytes, l.WeightBytes, l.OutputBytes)));
    }

    [Fact]
    public void BuiltGraph_MapsEveryMatrixOpToTheHandDerivedGemm()
    {
        var r = new Random(7);
        TensorValue F(params int[] shape) => TensorValue.FromFloats(shape, Enumerable.Range(0, (int)ShapeMath.ElementCount(shape)).Select(_ => (float)r.NextDouble()).ToArray());
        byte[] model = new OnnxBuilder(opset: 17)
            .Input("x", DataType.Float, 1, 4, 6, 6).Input("a", DataType.Float, 2, 3, 4, 5).Input("b", DataType.Float, 2, 3, 5, 6)
            .Input("g", DataType.Float, 3, 5).Input("t", DataType.Float, 1, 2, 3, 3)
            .Initializer("wg", F(6, 2, 3, 3)).Initializer("wd", F(4, 1, 3, 3)).Initializer("wm", F(5, 7))
            .Initializer("wb", F(4, 5)).Initializer("wt", F(2, 3, 2, 2)).Initializer("shape", TensorValue.Create(DataType.Int64, [2], new long[] { 1, -1 }))
            .Node("Conv", ["x", "wg"], ["grouped"], name: "grouped", attributes: [("group", 2L), ("pads", new long[] { 1, 1, 1, 1 })])
            .Node("Conv", ["x", "wd"], ["depthwise"], name: "depthwise", attributes: [("group", 4L)])
            .Node("MatMul", ["a", "b"], ["batched"], name: "batched")
            .Node("MatMul", ["a", "wm"], ["projected"], name: "projected")
            .Node("Gemm", ["g", "wb"], ["gemm"], name: "gemm", attributes: [("transB", 1L)])
            .Node("ConvTranspose", ["t", "wt"], ["deconv"], name: "deconv")
            .Node("MaxPool", ["grouped"], ["pooled"], name: "pool", attributes: [("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })])
            .Node("Relu", ["pooled"], ["relu"], name: "relu")
            .Node("Reshape", ["relu", "shape"], ["flat"], name: "flat")
            .Output("depthwise", DataType.Float).Output("batched", DataType.Float).Output("projected", DataType.Float)
            .Output("gemm", DataType.Float).Output("deconv", DataType.Float).Output("flat", DataType.Float)
            .ToBytes();
        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(model));
        var byName = LayerExtractor.ExtractWithShapes(graph, Observe(graph, batch: 1)).Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);

        // (M, N, K, groups), from the ONNX shapes by hand:
        // grouped: 6 x 6 outputs (pad 1), 6 / 2 filters per group, 3 x 3 x 4 / 2 window; depthwise: 4 x 4 outputs, one filter,
        // a 3 x 3 window per channel; batched: 2 x 3 matrices of 4 x 5 x 6; projected: A's 2 x 3 x 4 rows against [5, 7];
        // gemm: [3, 5] x [4, 5]^T; ConvTranspose: 3 x 3 input pixels scatter 2 channels into 3 channels x 2 x 2 taps.
        AssertGemm(byName["grouped"], 36, 3, 18, 2);
        AssertGemm(byName["depthwise"], 16, 1, 9, 4);
        AssertGemm(byName["batched"], 4, 6, 5, 6);
        AssertGemm(byName["projected"], 24, 7, 5, 1);
        AssertGemm(byName["gemm"], 3, 4, 5, 1);
        AssertGemm(byName["deconv"], 9, 12, 2, 1);
        Assert.False(((MatrixLayer)byName["batched"]).WeightIsConstant);
        Assert.True(((MatrixLayer)byName["projected"]).WeightIsConstant);

        var pool = Assert.IsType<VectorLayer>(byName["pool"]);
        Assert.Equal((VectorOpClass.Pooling, 6L * 3 * 3 * 4), (pool.OpClass, pool.Elements));
        var relu = Assert.IsType<VectorLayer>(byName["relu"]);
        Assert.Equal((VectorOpClass.Elementwise, 54L, 54L * 4), (relu.OpClass, relu.Elements, relu.InputBytes));
        var flat = Assert.IsType<VectorLayer>(byName["flat"]);
        Assert.Equal((VectorOpClass.DataMovement, 0L), (flat.OpClass, flat.Elements));
    }

    [Fact]
    public void EveryOpTheExecutorSupports_HasAnExplicitCostClass()
    {
        var unlisted = OpRegistry.Supported.Where(o => !LayerExtractor.Classify(o.OpType).Listed).Select(o => o.OpType).ToList();
        Assert.Empty(unlisted);
    }

    [Fact]
    public void MissingMatrixOperandShape_IsAnErrorNamingTheNode()
    {
        byte[] model = new OnnxBuilder().Input("a", DataType.Float, 2, 3).Input("b", DataType.Float, 3, 4)
            .Node("MatMul", ["a", "b"], ["y"], name: "mm").Output("y", DataType.Float).ToBytes();
        ModelGraph graph = OnnxModelReader.Read(new MemoryStream(model));
        var e = Assert.Throws<InvalidOperationException>(() => LayerExtractor.ExtractWithShapes(graph, new Dictionary<string, int[]>(StringComparer.Ordinal)));
        Assert.Contains("'mm'", e.Message, StringComparison.Ordinal);
    }

    private static void AssertGemm(LayerWork layer, long m, long n, long k, int groups)
    {
        var matrix = Assert.IsType<MatrixLayer>(layer);
        Assert.Equal((new GemmShape(m, n, k), groups), (matrix.Gemm, matrix.Groups));
    }

    /// <summary>Runs the graph on zeros and records the shape of every value it produced.</summary>
    internal static Dictionary<string, int[]> Observe(ModelGraph graph, int batch)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, value) in graph.Initializers)
        {
            shapes[name] = [.. value.Shape];
        }

        var inputs = new Dictionary<string, TensorValue>(StringComparer.Ordinal);
        foreach (ValueInfo input in graph.RuntimeInputs)
        {
            int[] shape = input.Dims.Select(d => d ?? batch).ToArray();
            inputs[input.Name] = TensorValue.Zeros(input.Type, shape);
            shapes[input.Name] = shape;
        }

        GraphExecutor.Run(graph, inputs, (name, value) => shapes[name] = [.. value.Shape]);
        return shapes;
    }

    /// <summary>MACs = output elements x the length of one output's reduction, read off the ONNX operands directly.</summary>
    internal static long IndependentMacs(ModelGraph graph, Node node, Dictionary<string, int[]> shapes)
    {
        long outputs = ShapeMath.ElementCount(shapes[node.Outputs[0]]);
        int[] In(int i) => shapes[node.Inputs[i]];
        return node.OpType switch
        {
            "Conv" or "ConvInteger" or "NchwcConv" => outputs * ShapeMath.ElementCount(In(1).AsSpan(1)),
            "QLinearConv" => outputs * ShapeMath.ElementCount(In(3).AsSpan(1)),
            "Gemm" or "QGemm" => outputs * (node.Attributes.TryGetValue("transA", out var t) && t.Int != 0 ? In(0)[0] : In(0)[^1]),
            "MatMul" or "MatMulInteger" or "MatMulIntegerToFloat" or "QLinearMatMul" => outputs * In(0)[^1],
            _ => 0,
        };
    }
}
