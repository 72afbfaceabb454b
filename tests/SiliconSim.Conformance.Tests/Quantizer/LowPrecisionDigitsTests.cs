using Microsoft.ML.OnnxRuntime;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;
using Xunit.Abstractions;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>
/// fp8 / mxfp4 / nvfp4 weight quantization of the digits models: the written opset-23 QDQ model runs in ONNX Runtime,
/// SiliconSim's logits equal ORT's, block scales follow the OCP MX / NVFP4 rules, and top-1 on the 360 test images is
/// reported (fp8 held within 3 points of fp32).
/// </summary>
public sealed class LowPrecisionDigitsTests(ITestOutputHelper output)
{
    public static TheoryData<string, LowPrecisionFormat> Cases()
    {
        var data = new TheoryData<string, LowPrecisionFormat>();
        foreach (string model in new[] { "cnn", "mlp" })
        {
            foreach (LowPrecisionFormat format in Enum.GetValues<LowPrecisionFormat>())
            {
                data.Add(model, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LowPrecision_RunsInOrt_AndSiliconSimMatches(string model, LowPrecisionFormat format)
    {
        ModelGraph fp32 = DigitsQuantizerTests.Load($"digits_{model}_fp32");
        byte[] written = OnnxModelWriter.ToBytes(LowPrecisionQuantizer.Quantize(fp32, format), irVersion: 11);
        TensorValue x = QuantizedDigitsOrtTests.TestImages.Value;

        TensorValue actual = QuantizedDigitsOrtTests.RunSiliconSim(written, x);
        double fp32Accuracy = QuantizedDigitsOrtTests.Top1(OrtOracle.RunSingle(OnnxModelWriter.ToBytes(fp32), ("input", x)));
        double accuracy = QuantizedDigitsOrtTests.Top1(actual);
        if (format != LowPrecisionFormat.Fp8E4M3Fn)
        {
            // ORT 1.31's CPU provider registers DequantizeLinear-23 for FLOAT8 types but not for FLOAT4E2M1.
            var e = Assert.ThrowsAny<Exception>(() => OrtOracle.RunSingle(written, ("input", x)));
            Assert.Contains("Could not find an implementation for DequantizeLinear(23)", e.Message, StringComparison.Ordinal);
            output.WriteLine($"digits {model} {format}: top-1 {accuracy:P2} (fp32 {fp32Accuracy:P2}); ORT: no CPU kernel");
            return;
        }

        float[] o = OrtOracle.RunSingle(written, ("input", x)).Items<float>(), a = actual.Items<float>();
        int mismatches = Enumerable.Range(0, o.Length).Count(i => BitConverter.SingleToInt32Bits(o[i]) != BitConverter.SingleToInt32Bits(a[i]));
        double maxDiff = Enumerable.Range(0, o.Length).Max(i => Math.Abs(o[i] - a[i]));
        output.WriteLine($"digits {model} {format}: top-1 {accuracy:P2} (fp32 {fp32Accuracy:P2}); {mismatches}/{o.Length} logits differ from ORT, max |diff| {maxDiff:G3}");
        Assert.InRange(accuracy, fp32Accuracy - 0.03, 1.0);

        // The MLP (Gemm after DQ) matches bit for bit. In the CNN, ORT folds the constant weight DQ and runs the
        // float Conv through its NCHWc path, whose summation order SiliconSim's lowering does not pick for a
        // DQ-fed weight yet: held to 1e-4 relative until the lowering constant-folds weight DQs (see report).
        if (model == "mlp")
        {
            Assert.Equal(0, mismatches);
        }
        else
        {
            Assert.All(Enumerable.Range(0, o.Length), i => Assert.True(Math.Abs(o[i] - a[i]) <= 1e-4 * Math.Max(1, Math.Abs(o[i])), $"logit {i}: {a[i]} vs ORT {o[i]}"));
        }
    }

    [Fact]
    public void Fp8WithCalibratedActivations_RunsInOrt_AndTheMlpMatchesOrtsBasicLevelBitForBit()
    {
        ModelGraph fp32 = DigitsQuantizerTests.Load("digits_mlp_fp32");
        ModelGraph q = LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.Fp8E4M3Fn, [DigitsQuantizerTests.Calibration.Value]);
        Assert.Equal(3, q.Nodes.Count(n => n.OpType == "QuantizeLinear"));
        byte[] written = OnnxModelWriter.ToBytes(q, irVersion: 11);
        TensorValue x = QuantizedDigitsOrtTests.TestImages.Value;

        // A standard QDQ model: ORT runs its fp8 QuantizeLinear/DequantizeLinear, and SiliconSim under ORT's arithmetic
        // (no low-precision array) reproduces every logit of ORT's BASIC level (and of no optimisation at all). At level
        // ALL ORT 1.31 computes different logits for this graph (docs/ort-cpu-findings.md): printed, not asserted.
        float[] basic = OrtOracle.Run(written, [("input", x)], GraphOptimizationLevel.ORT_ENABLE_BASIC)[0].Value.Items<float>();
        float[] all = OrtOracle.RunSingle(written, ("input", x)).Items<float>();
        float[] a = QuantizedDigitsOrtTests.RunSiliconSim(written, x, OrtOptimizationLevel.Basic).Items<float>();
        Assert.Equal(basic.Select(BitConverter.SingleToInt32Bits), a.Select(BitConverter.SingleToInt32Bits));
        output.WriteLine($"fp8 MLP with per-tensor fp8 activations: first logits ORT ALL {all[0]}, {all[1]}; ORT BASIC and SiliconSim {basic[0]}, {basic[1]}; "
            + $"{Enumerable.Range(0, all.Length).Count(i => all[i] != basic[i])}/{all.Length} logits differ between ORT's levels");
    }

    [Theory]
    [InlineData("cnn")]
    [InlineData("mlp")]
    public void NvFp4WithCalibratedActivations_QuantizesEveryMatrixInput_AsModelOptimizerExportsIt(string model)
    {
        ModelGraph fp32 = DigitsQuantizerTests.Load($"digits_{model}_fp32");
        ModelGraph q = OnnxModelReader.Read(new MemoryStream(OnnxModelWriter.ToBytes(
            LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.NvFp4, [DigitsQuantizerTests.Calibration.Value]), irVersion: 11)));
        Assert.Equal(1, q.Opsets["trt"]);

        // Each matrix op's activation: X → trt::TRT_FP4DynamicQuantize(X, S) → (codes, block scales);
        // DequantizeLinear(block scales, S); DequantizeLinear(codes, those, axis, 16). Blocked along what the op reduces:
        // a conv's channels, a Gemm row.
        var producers = q.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var fp32Matrix = fp32.Nodes.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        var matrix = q.Nodes.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        Assert.Equal(fp32Matrix.Count, matrix.Count);
        var amaxOf = CalibrationAmax(fp32, [.. fp32Matrix.Select(n => n.Inputs[0])]);
        for (int i = 0; i < matrix.Count; i++)
        {
            long axis = matrix[i].OpType == "Conv" ? 1 : -1;
            Node codesDq = producers[matrix[i].Inputs[0]];
            Assert.Equal(("DequantizeLinear", axis, 16L), (codesDq.OpType, codesDq.Attributes["axis"].Int, codesDq.Attributes["block_size"].Int));
            Node scalesDq = producers[codesDq.Inputs[1]];
            Node quantize = producers[codesDq.Inputs[0]];
            Assert.Equal(("DequantizeLinear", "TRT_FP4DynamicQuantize", "trt"), (scalesDq.OpType, quantize.OpType, quantize.Domain));
            Assert.Same(quantize, producers[scalesDq.Inputs[0]]);
            Assert.Equal([fp32Matrix[i].Inputs[0], scalesDq.Inputs[1]], quantize.Inputs.ToArray());
            Assert.Equal((axis, 16L, (long)DataType.Float8E4M3FN), (quantize.Attributes["axis"].Int, quantize.Attributes["block_size"].Int, quantize.Attributes["scale_type"].Int));

            // The static tensor scale puts the calibration set's amax on E4M3's 448 times E2M1's 6.
            Assert.Equal(amaxOf[fp32Matrix[i].Inputs[0]] / 2688f, q.Initializers[scalesDq.Inputs[1]].Items<float>()[0]);
        }

        // Under ONNX semantics (no low-precision array) the model runs, activations fake-quantized to NVFP4.
        TensorValue x = QuantizedDigitsOrtTests.TestImages.Value;
        double accuracy = QuantizedDigitsOrtTests.Top1(QuantizedDigitsOrtTests.RunSiliconSim(OnnxModelWriter.ToBytes(q, irVersion: 11), x));
        double fp32Accuracy = QuantizedDigitsOrtTests.Top1(OrtOracle.RunSingle(OnnxModelWriter.ToBytes(fp32), ("input", x)));
        output.WriteLine($"digits {model} nvfp4 with calibrated activations, ONNX semantics: top-1 {accuracy:P2} (fp32 {fp32Accuracy:P2})");
        Assert.InRange(accuracy, fp32Accuracy - 0.03, 1.0);
    }

    /// <summary>The largest |value| of each named tensor of the fp32 model over the calibration set, from a run of the
    /// model with those tensors as extra outputs.</summary>
    private static Dictionary<string, float> CalibrationAmax(ModelGraph fp32, string[] tensors)
    {
        ModelGraph probed = fp32 with { Outputs = [.. fp32.Outputs, .. tensors.Where(t => fp32.Outputs.All(o => o.Name != t)).Select(t => new ValueInfo(t, DataType.Float, []))] };
        var outputs = GraphExecutor.Run(probed, DigitsQuantizerTests.Calibration.Value);
        return tensors.ToDictionary(t => t, t => outputs.First(o => o.Name == t).Value.Items<float>().Max(MathF.Abs), StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LowPrecision_ScalesFollowTheFormat_AndDequantizedWeightsAreClose(string model, LowPrecisionFormat format)
    {
        ModelGraph fp32 = DigitsQuantizerTests.Load($"digits_{model}_fp32");
        ModelGraph q = LowPrecisionQuantizer.Quantize(fp32, format);
        var dqs = q.Nodes.Where(n => n.OpType == "DequantizeLinear").ToList();
        Assert.NotEmpty(dqs);
        foreach (Node dq in dqs)
        {
            string weight = dq.Outputs[0][..^"_dequantized".Length];
            TensorValue w = fp32.Initializers[weight], codes = q.Initializers[dq.Inputs[0]], scale = q.Initializers[dq.Inputs[1]];
            float[] s = scale.Items<float>();
            switch (format)
            {
                case LowPrecisionFormat.Fp8E4M3Fn:
                    Assert.Equal(DataType.Float8E4M3FN, codes.Type);
                    Assert.False(dq.Attributes.ContainsKey("block_size"));
                    break;
                case LowPrecisionFormat.MxFp4:
                    // OCP MX v1.0 §6.3: X = 2^(floor(log2(amax)) - emax_elem), emax_elem = 2 for E2M1.
                    Assert.Equal(DataType.Float4E2M1, codes.Type);
                    Assert.Equal(32, dq.Attributes["block_size"].Int);
                    Assert.All(s, v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v) & 0x7FFFFF));
                    break;
                default:
                    Assert.Equal(DataType.Float4E2M1, codes.Type);
                    Assert.Equal(16, dq.Attributes["block_size"].Int);
                    break;
            }

            // DequantizeLinear by its ONNX definition (code value × scale in fp32) is within the format's step of w.
            byte[] c = codes.Items<byte>();
            float[] wv = w.Items<float>();
            int axis = (int)dq.Attributes["axis"].Int;
            int inner = 1;
            for (int k = axis + 1; k < w.Rank; k++)
            {
                inner *= w.Shape[k];
            }

            int blockSize = dq.Attributes.TryGetValue("block_size", out var bs) ? (int)bs.Int : 1;
            int d = w.Shape[axis], blocks = format == LowPrecisionFormat.Fp8E4M3Fn ? 1 : (d + blockSize - 1) / blockSize;
            for (int i = 0; i < wv.Length; i++)
            {
                int o = i / (d * inner), k = i / inner % d, j = i % inner;
                float sc = format == LowPrecisionFormat.Fp8E4M3Fn ? s[k % s.Length] : s[(((o * blocks) + (k / blockSize)) * inner) + j];
                float value = (format == LowPrecisionFormat.Fp8E4M3Fn ? Fp8E4M3Fn.Decode(c[i]) : Fp4E2M1.Decode(c[i])) * sc;
                float step = format == LowPrecisionFormat.Fp8E4M3Fn ? Math.Abs(wv[i]) / 8 + (sc * 0.002f) : sc;
                // OCP MX §6.3 clamps elements above the element type's max (6 for E2M1) instead of raising the scale.
                bool clamped = format != LowPrecisionFormat.Fp8E4M3Fn && Math.Abs(wv[i]) > 6 * sc;
                Assert.True(clamped ? Math.Abs(value) == 6 * sc : Math.Abs(value - wv[i]) <= step * 1.0001f, $"{weight}[{i}]: {value} vs {wv[i]} (scale {sc})");
            }
        }
    }

    [Theory]
    [InlineData(LowPrecisionFormat.MxFp4)]
    [InlineData(LowPrecisionFormat.NvFp4)]
    public void DequantizedMlpWeights_EqualTheCodecsDecode(LowPrecisionFormat format)
    {
        // The MLP's Gemm weights are [N, K] with transB, so the blocked axis is the last and each row is contiguous: the
        // codecs run on the untouched fp32 rows and their decode is compared with DequantizeLinear's definition.
        ModelGraph fp32 = DigitsQuantizerTests.Load("digits_mlp_fp32");
        ModelGraph q = LowPrecisionQuantizer.Quantize(fp32, format);
        int compared = 0, ulpOff = 0;
        foreach (Node dq in q.Nodes.Where(n => n.OpType == "DequantizeLinear"))
        {
            TensorValue w = fp32.Initializers[dq.Outputs[0][..^"_dequantized".Length]];
            Assert.Equal(w.Rank - 1, dq.Attributes["axis"].Int);
            byte[] codes = q.Initializers[dq.Inputs[0]].Items<byte>();
            float[] scales = q.Initializers[dq.Inputs[1]].Items<float>(), wv = w.Items<float>();
            int k = w.Shape[^1], bs = (int)dq.Attributes["block_size"].Int, blocks = (k + bs - 1) / bs;
            float[] decoded = new float[wv.Length];
            if (format == LowPrecisionFormat.MxFp4)
            {
                for (int r = 0; r < wv.Length / k; r++)
                {
                    byte[] c = new byte[k], e8m0 = new byte[blocks];
                    MxBlockCodec.Quantize(wv.AsSpan(r * k, k), MxElementType.Fp4E2M1, c, e8m0);
                    MxBlockCodec.Dequantize(c, e8m0, MxElementType.Fp4E2M1, decoded.AsSpan(r * k, k));
                }
            }
            else
            {
                Assert.Equal(0, k % 16);
                byte[] c = new byte[wv.Length], e4m3 = new byte[wv.Length / 16];
                float tensorScale = NvFp4Codec.Quantize(wv, c, e4m3);
                NvFp4Codec.Dequantize(c, e4m3, tensorScale, decoded);
            }

            for (int i = 0; i < wv.Length; i++)
            {
                float dqValue = Fp4E2M1.Decode(codes[i]) * scales[(i / k * blocks) + (i % k / bs)];
                int diff = Math.Abs(BitConverter.SingleToInt32Bits(dqValue) - BitConverter.SingleToInt32Bits(decoded[i]));
                Assert.True(diff <= (format == LowPrecisionFormat.MxFp4 ? 0 : 1), $"[{i}]: DQ {dqValue} vs codec {decoded[i]}");
                ulpOff += diff;
                compared++;
            }
        }

        // mxfp4's power-of-two scale makes both products exact; nvfp4 rounds s_block * s_tensor once before the
        // element product, the codec after it, so the two may differ by one ulp.
        output.WriteLine($"{format}: {compared} weights, {ulpOff} one-ulp differences between DequantizeLinear and the codec's decode");
    }
}
