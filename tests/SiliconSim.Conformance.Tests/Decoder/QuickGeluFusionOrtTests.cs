using Microsoft.ML.OnnxRuntime;
using SiliconSim.Conformance.Tests.ZooModels;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// ORT's QuickGeluFusion on small graphs: SiLU written as x·Sigmoid(x) (either Mul operand order) and the scaled form
/// x·Sigmoid(alpha·x) become one QuickGelu in ORT's optimised graph and in SiliconSim's lowering, and the outputs agree
/// bit for bit; a Sigmoid with a second reader stays unfused in both.
/// </summary>
public sealed class QuickGeluFusionOrtTests
{
    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0f)]
    [InlineData(false, 1.702f)]
    public void SigmoidTimesInput_BecomesQuickGelu(bool swapMul, float alpha)
    {
        var b = new OnnxBuilder(opset: 21).Input("x", DataType.Float, 3, 70);
        string sigmoidInput = "x";
        if (alpha != 0f)
        {
            b.Initializer("alpha", TensorValue.Scalar(DataType.Float, alpha)).Node("Mul", ["x", "alpha"], ["xa"]);
            sigmoidInput = "xa";
        }

        b.Node("Sigmoid", [sigmoidInput], ["s"]).Node("Mul", swapMul ? ["s", "x"] : ["x", "s"], ["y"]).Output("y", DataType.Float);
        AssertLikeOrt(b, quickGelu: 1, sigmoid: 0);
    }

    [Fact]
    public void SigmoidWithASecondReader_StaysUnfused()
    {
        var b = new OnnxBuilder(opset: 21).Input("x", DataType.Float, 3, 70)
            .Node("Sigmoid", ["x"], ["s"]).Node("Mul", ["x", "s"], ["y"]).Node("Add", ["s", "y"], ["z"]).Output("z", DataType.Float);
        AssertLikeOrt(b, quickGelu: 0, sigmoid: 1);
    }

    private static void AssertLikeOrt(OnnxBuilder b, int quickGelu, int sigmoid)
    {
        ModelGraph ort = OnnxModelReader.Read(new MemoryStream(OrtGraphs.Optimized(b.ToBytes(), GraphOptimizationLevel.ORT_ENABLE_ALL)));
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(b.Model));
        Assert.Equal((quickGelu, sigmoid), (Count(ort, "QuickGelu"), Count(ort, "Sigmoid")));
        Assert.Equal((quickGelu, sigmoid), (Count(lowered, "QuickGelu"), Count(lowered, "Sigmoid")));
        var x = OrtDifferential.Floats(new Random(11), [3, 70], 12);
        int bad = OrtDifferential.Mismatches(b, [("x", x)], out string first, out _);
        Assert.True(bad == 0, first);
    }

    private static int Count(ModelGraph g, string op) => g.Nodes.Count(n => n.OpType == op);
}
