using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// ORT's NCHWc transformer folds a residual Add into a conv (the other operand pre-fills the output, so it is added
/// first): the graphs below cover which operand is taken and when no fusion happens; SiliconSim's lowering must give
/// ORT's bits in each.
/// </summary>
public sealed class NchwcAddFusionOrtTests
{
    public static TheoryData<string> Cases() => ["both_convs", "activation_conv_first", "graph_input_operand", "conv_used_twice", "unaligned_channels"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResidualAdd_MatchesOrtBitForBit(string shape)
    {
        int channels = shape == "unaligned_channels" ? 12 : 16;
        var b = new OnnxBuilder(opset: 17).Input("x", DataType.Float, 2, channels, 8, 8);
        var c = new CnnBuilder(b, seed: 3);
        switch (shape)
        {
            case "both_convs":
                b.Output(c.Add(c.Conv("x", channels, channels, 3), c.Conv("x", channels, channels, 1)), DataType.Float);
                break;
            case "activation_conv_first":
                string r = c.Relu(c.Conv("x", channels, channels, 3));
                b.Output(c.Add(r, c.Conv(r, channels, channels, 3)), DataType.Float);
                break;
            case "graph_input_operand":
                b.Output(c.Add(c.Conv("x", channels, channels, 3), "x"), DataType.Float);
                break;
            case "conv_used_twice":
                string a = c.Conv("x", channels, channels, 3);
                b.Output(c.Add(a, c.Conv("x", channels, channels, 3)), DataType.Float).Output(a, DataType.Float);
                break;
            default:
                b.Output(c.Add(c.Conv("x", channels, channels, 3), c.Conv("x", channels, channels, 3)), DataType.Float);
                break;
        }

        byte[] model = b.ToBytes();
        TensorValue x = new SeededTensors(8).Normal(1f, 2, channels, 8, 8);
        var expected = OrtOracle.Run(model, [("x", x)]);
        var graph = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)));
        var actual = GraphExecutor.Run(graph, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["x"] = x });
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            float[] e = expected[k].Value.Items<float>(), a = actual[k].Value.Items<float>();
            int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
            Assert.True(mismatches == 0, $"{shape} output {k}: {mismatches}/{e.Length} differ from ORT");
        }
    }
}
