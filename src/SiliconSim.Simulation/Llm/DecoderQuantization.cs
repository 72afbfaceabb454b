using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation.Llm;

/// <summary>
/// An fp32 decoder's projections quantized in process to one <see cref="LlmWeightFormat"/> (issue 15, "formats on
/// LLMs"), each the way the recipe its name stands for writes it:
/// <list type="bullet">
/// <item>int8 (W8A8): ORT's <c>quantize_static</c> QDQ on the MatMuls only, int8 weights per output channel and int8
/// activations calibrated (MinMax) on the token set's fp32 activations;</item>
/// <item>int4 (W4A16): ORT's <c>MatMul4BitsQuantizer</c>, MatMulNBits 4-bit in blocks of 32 with zero points
/// (<see cref="MatMulNBitsQuantizer"/>); the activations stay float;</item>
/// <item>fp8, mxfp4, nvfp4: <see cref="LowPrecisionQuantizer"/>'s weights (fp8 per channel, MX and NVFP4 blocked along
/// K) with fp8's and nvfp4's activation scales calibrated on the token set; on an array that multiplies the element
/// type, the array quantizes the activations itself (<see cref="AcceleratorLowering"/>), as it does for a CNN.</item>
/// </list>
/// The embedding Gather, the norms and attention keep fp32: only what the array multiplies by a weight is quantized.
/// </summary>
public static class DecoderQuantization
{
    /// <summary>The formats there is a value path for; fp16 is timed only (the fp32 reference stands for it).</summary>
    public static readonly IReadOnlyList<LlmWeightFormat> Executable = [LlmWeightFormat.Int8, LlmWeightFormat.Int4, LlmWeightFormat.Fp8, LlmWeightFormat.Mxfp4, LlmWeightFormat.Nvfp4];

    private static readonly string[] s_matMul = ["MatMul"];

    /// <summary>Quantizes <paramref name="fp32"/>; <paramref name="calibration"/> is the token set's prefill, as
    /// <see cref="DecoderFeeds.Prefill"/> builds it.</summary>
    public static ModelGraph Quantize(ModelGraph fp32, LlmWeightFormat format, IReadOnlyDictionary<string, TensorValue> calibration)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(calibration);
        IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> batches = [calibration];
        return format switch
        {
            LlmWeightFormat.Int8 => StaticQuantizer.Quantize(fp32, batches, new QuantizerOptions
            {
                Format = QuantFormat.Qdq,
                ActivationType = DataType.Int8,
                WeightType = DataType.Int8,
                PerChannel = true,
                Calibration = CalibrationMethod.MinMax,
                OpTypesToQuantize = s_matMul,
            }),
            LlmWeightFormat.Int4 => MatMulNBitsQuantizer.Quantize(fp32),
            LlmWeightFormat.Fp8 => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.Fp8E4M3Fn, batches),
            LlmWeightFormat.Mxfp4 => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.MxFp4),
            LlmWeightFormat.Nvfp4 => LowPrecisionQuantizer.Quantize(fp32, LowPrecisionFormat.NvFp4, batches),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "fp16 has no value path; the fp32 reference stands for it"),
        };
    }
}
