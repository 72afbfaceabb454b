using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The ResNet- and MobileNetV2-style test models, fp32 and quantized by SiliconSim's quantizer (QDQ s8s8 per channel,
/// QOperator u8s8 per tensor): SiliconSim (ORT-CPU lowering, then the executor) gives ONNX Runtime's outputs bit for
/// bit on a seeded batch.
/// </summary>
public sealed class ZooModelTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (model, form) in ZooCases.All())
        {
            data.Add(model, form);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ZooModel_MatchesOrtBitForBit(string model, string form)
    {
        byte[] bytes = ZooCases.Model(model, form);
        TensorValue input = ZooCases.Input(model);
        TensorValue expected = OrtOracle.RunSingle(bytes, ("input", input));

        var graph = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(bytes)));
        TensorValue actual = GraphExecutor.Run(graph, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["input"] = input })[0].Value;

        Assert.Equal([.. expected.Shape], (int[])[.. actual.Shape]);
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
        int first = Enumerable.Range(0, e.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]), -1);
        Assert.True(mismatches == 0, $"{model} {form}: {mismatches}/{e.Length} logits differ; first at {first}: {a[Math.Max(0, first)]:R} vs ORT {e[Math.Max(0, first)]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ZooModel_IsDeterministic(string model, string form)
    {
        // A fresh build from the same seeds gives the same bytes (the cache is bypassed by building the fp32 model
        // directly; quantized forms depend only on it and the seeded calibration set).
        var spec = TestSupport.Models.ZooModels.All.Single(m => m.Name == model);
        Assert.Equal(spec.Build(ZooCases.ModelSeed), spec.Build(ZooCases.ModelSeed));
        Assert.NotEmpty(ZooCases.Model(model, form));
    }
}
