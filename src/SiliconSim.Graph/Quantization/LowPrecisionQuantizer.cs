using System.Collections.Immutable;
using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Graph.Quantization;

/// <summary>
/// Low-precision quantization as an ONNX opset-23 QDQ graph: every float initializer weight of a Conv, Gemm or MatMul
/// becomes a FLOAT8E4M3FN or FLOAT4E2M1 initializer behind a DequantizeLinear whose float32 scale is per output channel
/// (fp8) or blocked along the reduction axis (<c>axis</c> + <c>block_size</c>, mxfp4/nvfp4). Without calibration data
/// the activations stay float32 (W8A32 / W4A32) and the graph keeps ORT's float kernels after the weight DQ; with it,
/// fp8 and nvfp4 quantize each matrix op's activation input too (see <see cref="Quantize"/>; nvfp4's through TensorRT's
/// <c>trt</c> custom domain, as NVIDIA's Model Optimizer exports it).
/// </summary>
/// <remarks>
/// ONNX opset 23 QuantizeLinear/DequantizeLinear have no E8M0 or two-level scale types, so the scales are stored as
/// float32: mxfp4's as the power of two the E8M0 code decodes to (exact), nvfp4's as
/// <c>f32(decode_e4m3(block_scale) · tensor_scale)</c> (one rounding; the codec computes
/// <c>(p · s_block) · s_tensor</c> instead, so the DQ equals the codec's decode whenever that product is exact).
/// </remarks>
public static class LowPrecisionQuantizer
{
    private static readonly IReadOnlySet<string> s_matrixOps = new HashSet<string>(["Conv", "Gemm", "MatMul"], StringComparer.Ordinal);

    /// <summary>The domain of TensorRT's custom ops (NVFP4 activations); the written graph imports it at version 1.</summary>
    public const string TensorRtDomain = "trt";

    /// <summary>The opset the written graph declares: blocked DequantizeLinear and FLOAT4E2M1 need 23.</summary>
    public const int Opset = 23;

    /// <summary>
    /// Quantizes the weights of <paramref name="fp32"/>; with <paramref name="calibration"/>, also each Conv/Gemm/MatMul
    /// activation input, once per tensor, from the calibration's MinMax range:
    /// <list type="bullet">
    /// <item>fp8: <c>QuantizeLinear</c> to FLOAT8E4M3FN with the scale amax / 448 (saturating, as opset 19+ defaults)
    /// → <c>DequantizeLinear</c>;</item>
    /// <item>nvfp4: the pattern NVIDIA's Model Optimizer exports for NVFP4 activations (TensorRT's
    /// <c>trt::TRT_FP4DynamicQuantize</c>, whose E4M3 block scales follow each block of 16 while the fp32 tensor scale
    /// amax / (6 · 448) is calibrated and static, then <c>DequantizeLinear</c> of the block scales by the tensor scale
    /// and a blocked <c>DequantizeLinear</c> of the E2M1 codes by those), blocked along the reduction axis (a conv's
    /// channels, a GEMM row's last axis);</item>
    /// <item>mxfp4: nothing: OCP MX has no tensor scale, its block scales follow each block's values (OCP MX v1.0 §6.3),
    /// so the hardware converts the float activations itself.</item>
    /// </list>
    /// </summary>
    public static ModelGraph Quantize(ModelGraph fp32, LowPrecisionFormat format, IReadOnlyList<IReadOnlyDictionary<string, TensorValue>>? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        var initializers = fp32.Initializers.ToBuilder();
        var nodes = ImmutableArray.CreateBuilder<Node>();
        Dictionary<string, TensorRange>? ranges = format is LowPrecisionFormat.Fp8E4M3Fn or LowPrecisionFormat.NvFp4 && calibration is not null
            ? Calibrator.MinMax(fp32, calibration, s_matrixOps)
            : null;
        var activations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Node original in fp32.Nodes)
        {
            Node node = original;
            if (ranges is not null && node.OpType is "Conv" or "Gemm" or "MatMul" && node.Inputs.Length > 0 && ranges.TryGetValue(node.Inputs[0], out TensorRange range))
            {
                string x = node.Inputs[0];
                if (!activations.TryGetValue(x, out string? dequantized))
                {
                    dequantized = x + "_dequantized";
                    activations[x] = dequantized;
                    float amax = Math.Max(Math.Abs(range.Min), Math.Abs(range.Max));
                    if (format == LowPrecisionFormat.NvFp4)
                    {
                        NvFp4Activation(x, ReductionAxisOfInput(node), amax, initializers, nodes);
                    }
                    else
                    {
                        // amax / 448 puts the calibrated range's end on E4M3FN's largest finite value; an all-zero tensor gets 1.
                        float activationScale = amax == 0 || !float.IsFinite(amax) ? 1f : amax / Fp8E4M3Fn.MaxFinite;
                        initializers[x + "_scale"] = TensorValue.Scalar(DataType.Float, activationScale);
                        initializers[x + "_zero_point"] = TensorValue.Create(DataType.Float8E4M3FN, [], new byte[] { 0 });
                        nodes.Add(new Node(x + "_QuantizeLinear", "QuantizeLinear", string.Empty, [x, x + "_scale", x + "_zero_point"], [x + "_quantized"], ImmutableDictionary<string, AttributeValue>.Empty));
                        nodes.Add(new Node(x + "_DequantizeLinear", "DequantizeLinear", string.Empty, [x + "_quantized", x + "_scale", x + "_zero_point"], [dequantized], ImmutableDictionary<string, AttributeValue>.Empty));
                    }
                }

                node = node with { Inputs = node.Inputs.SetItem(0, dequantized) };
            }

            if (node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Inputs.Length < 2
                || !fp32.Initializers.TryGetValue(node.Inputs[1], out TensorValue? w) || w.Type != DataType.Float || w.Rank < 2)
            {
                nodes.Add(node);
                continue;
            }

            bool transB = node.OpType == "Gemm" && node.Attributes.TryGetValue("transB", out var t) && t.Int != 0;
            (int reduction, int channel) = node.OpType switch
            {
                "Conv" => (1, 0),
                "Gemm" => transB ? (1, 0) : (0, 1),
                _ => (w.Rank - 2, w.Rank - 1),
            };
            string name = node.Inputs[1];
            var (codes, scale, attributes) = format switch
            {
                LowPrecisionFormat.Fp8E4M3Fn => Fp8PerChannel(w, channel),
                LowPrecisionFormat.MxFp4 => Blocked(w, reduction, MxBlockCodec.BlockSize, MxFp4Row),
                _ => Blocked(w, reduction, NvFp4Codec.BlockSize, null),
            };
            initializers[name + "_quantized"] = codes;
            initializers[name + "_scale"] = scale;
            nodes.Add(new Node(name + "_DequantizeLinear", "DequantizeLinear", string.Empty, [name + "_quantized", name + "_scale"], [name + "_dequantized"], attributes));
            nodes.Add(node with { Inputs = node.Inputs.SetItem(1, name + "_dequantized") });
        }

        var used = nodes.SelectMany(n => n.Inputs).ToHashSet(StringComparer.Ordinal);
        foreach (string name in fp32.Initializers.Keys.Where(k => !used.Contains(k)).ToList())
        {
            initializers.Remove(name);
        }

        int opset = Math.Max(Opset, fp32.Opsets.GetValueOrDefault(string.Empty));
        var opsets = fp32.Opsets.SetItem(string.Empty, opset);
        if (nodes.Any(n => n.Domain == TensorRtDomain))
        {
            opsets = opsets.SetItem(TensorRtDomain, 1);
        }

        return fp32 with
        {
            Nodes = nodes.ToImmutable(),
            Initializers = initializers.ToImmutable(),
            Inputs = [.. fp32.Inputs.Where(i => !fp32.Initializers.ContainsKey(i.Name) || used.Contains(i.Name))],
            Opsets = opsets,
            ProducerName = "siliconsim.quantize",
        };
    }

    /// <summary>
    /// NVFP4 activation quantization of <paramref name="x"/> as Model Optimizer exports it (ModelOpt's
    /// <c>export_fp4</c> with the dynamic activation quantizer): the static tensor scale amax / (6 · 448) (1 for an
    /// all-zero or non-finite range), <c>trt::TRT_FP4DynamicQuantize(x, scale)</c> → (E2M1 codes, E4M3 block scales),
    /// <c>DequantizeLinear(block scales, scale)</c>, and <c>DequantizeLinear(codes, those, axis, block_size 16)</c>,
    /// which writes <c>x + "_dequantized"</c>.
    /// </summary>
    private static void NvFp4Activation(string x, int axis, float amax, IDictionary<string, TensorValue> initializers, ImmutableArray<Node>.Builder nodes)
    {
        float tensorScale = float.IsFinite(amax) ? NvFp4Codec.TensorScale(amax) : 1f;
        string scale = x + "_nvfp4_scale", codes = x + "_fp4", blockScales = x + "_fp4_block_scale";
        initializers[scale] = TensorValue.Scalar(DataType.Float, tensorScale);
        AttributeValue Int(long v) => new(AttributeKind.Int) { Int = v };
        nodes.Add(new Node(x + "_TRT_FP4DynamicQuantize", "TRT_FP4DynamicQuantize", TensorRtDomain, [x, scale], [codes, blockScales],
            ImmutableDictionary<string, AttributeValue>.Empty.Add("axis", Int(axis)).Add("block_size", Int(NvFp4Codec.BlockSize)).Add("scale_type", Int((long)DataType.Float8E4M3FN))));
        nodes.Add(new Node(x + "_fp4_block_scale_DequantizeLinear", "DequantizeLinear", string.Empty, [blockScales, scale], [blockScales + "_dequantized"], ImmutableDictionary<string, AttributeValue>.Empty));
        nodes.Add(new Node(x + "_fp4_DequantizeLinear", "DequantizeLinear", string.Empty, [codes, blockScales + "_dequantized"], [x + "_dequantized"],
            ImmutableDictionary<string, AttributeValue>.Empty.Add("axis", Int(axis)).Add("block_size", Int(NvFp4Codec.BlockSize))));
    }

    /// <summary>The axis of a matrix op's activation input that the op reduces over: a conv's channels (1), a Gemm's
    /// or MatMul's last axis (-1; a Gemm with transA reduces over axis 0).</summary>
    private static int ReductionAxisOfInput(Node node) => node.OpType switch
    {
        "Conv" => 1,
        "Gemm" => node.Attributes.TryGetValue("transA", out var t) && t.Int != 0 ? 0 : -1,
        _ => -1,
    };

    private static (TensorValue Codes, TensorValue Scale, ImmutableDictionary<string, AttributeValue> Attributes) Fp8PerChannel(TensorValue w, int axis)
    {
        float[] values = w.Items<float>();
        int channels = w.Shape[axis], inner = SizeAfter(w, axis);
        float[] amax = new float[channels];
        for (int i = 0; i < values.Length; i++)
        {
            int c = i / inner % channels;
            amax[c] = Math.Max(amax[c], Math.Abs(values[i]));
        }

        // amax / 448 puts each channel's largest weight on E4M3FN's largest finite value; an all-zero channel gets 1.
        float[] scale = [.. amax.Select(a => a == 0 ? 1f : a / Fp8E4M3Fn.MaxFinite)];
        byte[] codes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            codes[i] = Fp8E4M3Fn.Encode(values[i] / scale[i / inner % channels], saturate: true);
        }

        return (TensorValue.Create(DataType.Float8E4M3FN, w.Shape.AsSpan(), codes), TensorValue.FromFloats([channels], scale),
            ImmutableDictionary<string, AttributeValue>.Empty.Add("axis", new AttributeValue(AttributeKind.Int) { Int = axis }));
    }

    private static void MxFp4Row(ReadOnlySpan<float> row, Span<byte> codes, Span<float> scales)
    {
        Span<byte> e8m0 = stackalloc byte[scales.Length];
        MxBlockCodec.Quantize(row, MxElementType.Fp4E2M1, codes, e8m0);
        for (int b = 0; b < scales.Length; b++)
        {
            scales[b] = E8M0.Decode(e8m0[b]);
        }
    }

    private delegate void RowQuantizer(ReadOnlySpan<float> row, Span<byte> codes, Span<float> scales);

    /// <summary>Blocks of <paramref name="blockSize"/> along <paramref name="axis"/> (the last block may be partial, as
    /// ONNX's blocked DequantizeLinear allows): each line along the axis is zero-padded to whole blocks, which changes
    /// no block maximum and so neither codec's choice.</summary>
    private static (TensorValue Codes, TensorValue Scale, ImmutableDictionary<string, AttributeValue> Attributes) Blocked(TensorValue w, int axis, int blockSize, RowQuantizer? mx)
    {
        float[] values = w.Items<float>();
        int d = w.Shape[axis], inner = SizeAfter(w, axis), outer = values.Length / (d * inner);
        int blocks = (d + blockSize - 1) / blockSize, padded = blocks * blockSize, lines = outer * inner;
        float[] rows = new float[lines * padded];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    rows[(((o * inner) + i) * padded) + k] = values[(((o * d) + k) * inner) + i];
                }
            }
        }

        byte[] rowCodes = new byte[rows.Length];
        float[] rowScales = new float[lines * blocks];
        if (mx is not null)
        {
            for (int l = 0; l < lines; l++)
            {
                mx(rows.AsSpan(l * padded, padded), rowCodes.AsSpan(l * padded, padded), rowScales.AsSpan(l * blocks, blocks));
            }
        }
        else
        {
            // One NVFP4 tensor scale for the whole weight: the codec runs once over all lines laid end to end.
            byte[] e4m3 = new byte[lines * blocks];
            float tensorScale = NvFp4Codec.Quantize(rows, rowCodes, e4m3);
            for (int b = 0; b < e4m3.Length; b++)
            {
                rowScales[b] = Fp8E4M3Fn.Decode(e4m3[b]) * tensorScale;
            }
        }

        byte[] codes = new byte[values.Length];
        float[] scales = new float[outer * blocks * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int line = (o * inner) + i;
                for (int k = 0; k < d; k++)
                {
                    codes[(((o * d) + k) * inner) + i] = rowCodes[(line * padded) + k];
                }

                for (int b = 0; b < blocks; b++)
                {
                    scales[(((o * blocks) + b) * inner) + i] = rowScales[(line * blocks) + b];
                }
            }
        }

        int[] scaleShape = [.. w.Shape];
        scaleShape[axis] = blocks;
        return (TensorValue.Create(DataType.Float4E2M1, w.Shape.AsSpan(), codes), TensorValue.FromFloats(scaleShape, scales),
            ImmutableDictionary<string, AttributeValue>.Empty
                .Add("axis", new AttributeValue(AttributeKind.Int) { Int = axis })
                .Add("block_size", new AttributeValue(AttributeKind.Int) { Int = blockSize }));
    }

    private static int SizeAfter(TensorValue w, int axis)
    {
        int size = 1;
        for (int k = axis + 1; k < w.Rank; k++)
        {
            size *= w.Shape[k];
        }

        return size;
    }
}
