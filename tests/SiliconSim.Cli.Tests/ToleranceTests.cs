using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Tests;

/// <summary>validate is bit-exact by default, and holds ONNX backend node tests to their runner's own tolerance.</summary>
public sealed class ToleranceTests
{
    [Theory]
    [InlineData("backend-test", 0)]
    [InlineData("pytorch", 1)]
    public void FloatOutputOneUlpOff_PassesOnlyForBackendTestModels(string producer, int expectedExit)
    {
        using var dir = new TempFolder();
        var builder = new OnnxBuilder().Input("x", DataType.Float, 2).Node("Identity", ["x"], ["y"]).Output("y", DataType.Float);
        builder.Model.ProducerName = producer;
        dir.File("c/model.onnx", builder.ToBytes());
        float[] x = [1f, 2f];
        float[] expected = [BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + 1), 2f];
        dir.File("c/test_data_set_0/input_0.pb", TensorProtos.ToProto("x", TensorValue.FromFloats([2], x)).ToByteArray());
        dir.File("c/test_data_set_0/output_0.pb", TensorProtos.ToProto("y", TensorValue.FromFloats([2], expected)).ToByteArray());

        var (exit, stdout, _) = CliRunner.Run("validate", Path.Combine(dir.Path, "c"));
        Assert.Equal(expectedExit, exit);
        Assert.Contains(expectedExit == 0 ? "1 passed, 0 failed" : "0 passed, 1 failed", stdout, StringComparison.Ordinal);

        var strict = CliRunner.Run("validate", Path.Combine(dir.Path, "c"), "--rtol", "0", "--atol", "0");
        Assert.Equal(1, strict.Exit);
    }
}
