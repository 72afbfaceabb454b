using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Graph.Tests.Onnx;

public sealed class OracleSmokeTests
{
    [Fact]
    public void Oracle_RunsABuiltGraph()
    {
        byte[] model = new OnnxBuilder()
            .Input("a", DataType.Float, 2)
            .Input("b", DataType.Float, 2)
            .Node("Add", ["a", "b"], ["c"])
            .Output("c", DataType.Float)
            .ToBytes();
        var c = OrtOracle.RunSingle(model, ("a", TensorValue.FromFloats([2], [1f, 2f])), ("b", TensorValue.FromFloats([2], [10f, 20f])));
        Assert.Equal(new[] { 11f, 22f }, c.Items<float>());
    }
}
