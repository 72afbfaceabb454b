using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>The ONNX writer: a model read, written and read again is the same graph, and ONNX Runtime computes the
/// same outputs from the written file as from the original.</summary>
public sealed class OnnxModelWriterTests
{
    public static TheoryData<string> Cases() => ["digits_cnn_qop_u8s8_tensor", "digits_cnn_qdq_s8s8_channel", "digits_mlp_fp32"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_ThenRead_GivesTheSameGraph(string caseName)
    {
        ModelGraph original = DigitsQuantizerTests.Load(caseName);
        ModelGraph back = OnnxModelReader.Read(new MemoryStream(OnnxModelWriter.ToBytes(original)));

        Assert.Equal(original.Nodes.Select(n => (n.Name, n.OpType, n.NormalizedDomain, string.Join(',', n.Inputs), string.Join(',', n.Outputs))),
            back.Nodes.Select(n => (n.Name, n.OpType, n.NormalizedDomain, string.Join(',', n.Inputs), string.Join(',', n.Outputs))));
        Assert.Equal(original.Initializers.Keys.Order(StringComparer.Ordinal), back.Initializers.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, t) in original.Initializers)
        {
            Assert.Equal(TensorProtos.ToRaw(t), TensorProtos.ToRaw(back.Initializers[name]));
        }

        Assert.Equal(original.Opsets, back.Opsets);
        Assert.Equal(original.ProducerName, back.ProducerName);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WrittenModel_GivesOrtTheSameOutputs(string caseName)
    {
        string folder = Path.Combine(SharedData.Digits, caseName);
        byte[] originalBytes = File.ReadAllBytes(Path.Combine(folder, "model.onnx"));
        byte[] written = OnnxModelWriter.ToBytes(OnnxModelReader.Read(new MemoryStream(originalBytes)));
        TensorValue input = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "test_data_set_0", "input_0.pb"))));

        float[] expected = OrtOracle.RunSingle(originalBytes, ("input", input)).Items<float>();
        float[] actual = OrtOracle.RunSingle(written, ("input", input)).Items<float>();
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }
}
