using SiliconSim.Graph.Execution;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>
/// The INT8 models `siliconsim quantize` writes (the quantizer library plus <see cref="OnnxModelWriter"/>) load and run
/// in ONNX Runtime, and SiliconSim's outputs on the 360 digits test images equal ORT's bit for bit; top-1 accuracy is
/// reported beside the fp32 model's.
/// </summary>
public sealed class QuantizedDigitsOrtTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[] { "cnn", "mlp" })
        {
            foreach (string variant in new[] { "qdq_u8s8_tensor", "qdq_s8s8_channel", "qop_u8s8_tensor" })
            {
                data.Add(model, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void QuantizedInt8_RunsInOrt_AndSiliconSimMatchesBitForBit(string model, string variant)
    {
        ModelGraph fp32 = DigitsQuantizerTests.Load($"digits_{model}_fp32");
        byte[] written = OnnxModelWriter.ToBytes(StaticQuantizer.Quantize(fp32, [DigitsQuantizerTests.Calibration.Value], DigitsQuantizerTests.OptionsFor(variant)));
        TensorValue x = TestImages.Value;

        TensorValue expected = OrtOracle.RunSingle(written, ("input", x));
        TensorValue actual = RunSiliconSim(written, x);
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        Assert.Equal(e.Length, a.Length);
        int mismatches = Enumerable.Range(0, e.Length).Count(i => BitConverter.SingleToInt32Bits(e[i]) != BitConverter.SingleToInt32Bits(a[i]));
        Assert.True(mismatches == 0, $"{model} {variant}: {mismatches}/{e.Length} logits differ from ORT");

        double fp32Accuracy = Top1(OrtOracle.RunSingle(OnnxModelWriter.ToBytes(fp32), ("input", x)));
        double accuracy = Top1(actual);
        output.WriteLine($"digits {model} int8 {variant}: top-1 {accuracy:P2} (fp32 {fp32Accuracy:P2}) on {Labels.Value.Length} images");
        Assert.InRange(accuracy, fp32Accuracy - 0.03, 1.0);
    }

    internal static TensorValue RunSiliconSim(byte[] model, TensorValue x, OrtOptimizationLevel level = OrtOptimizationLevel.All)
    {
        ModelGraph graph = OrtCpuLowering.Lower(OnnxModelReader.Read(new MemoryStream(model)), level);
        return GraphExecutor.Run(graph, new Dictionary<string, TensorValue>(StringComparer.Ordinal) { ["input"] = x })[0].Value;
    }

    /// <summary>Top-1 accuracy of [N, 10] logits against digits_test_y (first maximum wins, as numpy's argmax).</summary>
    internal static double Top1(TensorValue logits)
    {
        float[] l = logits.Items<float>();
        long[] y = Labels.Value;
        int classes = logits.Shape[^1], correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (l[(i * classes) + c] > l[(i * classes) + best])
                {
                    best = c;
                }
            }

            correct += best == y[i] ? 1 : 0;
        }

        return (double)correct / y.Length;
    }

    internal static readonly Lazy<TensorValue> TestImages = new(() =>
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, "digits_test_x.npy"));
        return NpyReader.Read(s);
    });

    internal static readonly Lazy<long[]> Labels = new(() =>
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, "digits_test_y.npy"));
        TensorValue t = NpyReader.Read(s);
        return Enumerable.Range(0, t.Length).Select(i => (long)TensorComparison.ToDouble(t, i)).ToArray();
    });
}
