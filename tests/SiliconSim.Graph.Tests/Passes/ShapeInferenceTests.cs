using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.Passes;

/// <summary>Static shape inference must agree with the shapes the executor actually produces.</summary>
public sealed class ShapeInferenceTests
{
    [Theory]
    [InlineData("digits_cnn_fp32")]
    [InlineData("digits_mlp_fp32")]
    [InlineData("digits_cnn_fp32", true)]
    public void InferredShapes_EqualExecutedShapes(string caseName, bool lowered = false)
    {
        string dir = Path.Combine(SharedData.Digits, caseName);
        ModelGraph graph = OnnxModelReader.Read(File.OpenRead(Path.Combine(dir, "model.onnx")));
        if (lowered)
        {
            graph = OrtCpuLowering.Lower(graph);
        }

        TensorValue input = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_0.pb"))));
        string inputName = graph.RuntimeInputs.First().Name;
        var inferred = ShapeInference.Infer(graph, ShapeInference.InputShapes(graph, batch: input.Shape[0]));
        var executed = new Dictionary<string, int[]>(StringComparer.Ordinal);
        GraphExecutor.Run(graph, new Dictionary<string, TensorValue> { [inputName] = input }, (name, value) => executed[name] = [.. value.Shape]);

        Assert.NotEmpty(executed);
        foreach (var (name, shape) in executed)
        {
            Assert.True(inferred.TryGetValue(name, out int[]? guess), $"no shape inferred for '{name}'");
            Assert.Equal(shape, guess);
        }
    }
}
