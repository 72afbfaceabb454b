using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// The forms of the transformer encoder the tests and workloads use: the fp32 export (with dynamic axes, and with static
/// shapes [3, 12, 64]), and the two static
/// quantizations ORT's quantize_static makes by default for CPU (QDQ int8 activations with per-channel int8 weights;
/// QOperator uint8 activations with per-tensor int8 weights), calibrated with MinMax on a seeded calibration set of
/// <see cref="CalibrationBatches"/> batches [2, 8, 64]; and the dynamic quantization of its MatMuls
/// (<see cref="DynamicMatMulQuantizer"/>).
/// </summary>
public static class TransformerEncoderForms
{
    public const string Fp32 = "fp32";
    public const string Fp32Static = "fp32_static_3x12";
    public const string QdqS8S8Channel = "qdq_s8s8_channel";
    public const string QopU8S8Tensor = "qop_u8s8_tensor";
    public const string DynamicU8S8Tensor = "qdyn_u8s8_tensor";
    public const int CalibrationBatches = 4;
    public const int CalibrationSeed = 1000;

    public static IReadOnlyList<string> All { get; } = [Fp32, Fp32Static, QdqS8S8Channel, QopU8S8Tensor, DynamicU8S8Tensor];

    /// <summary>The model of <paramref name="form"/> as ONNX.</summary>
    /// <param name="form">One of <see cref="All"/>.</param>
    /// <param name="fp32">The float model to quantize; the dynamic-axes export when null.</param>
    public static ModelProto Build(string form, ModelProto? fp32 = null)
    {
        fp32 ??= TransformerEncoderBuilder.Build();
        if (form == Fp32)
        {
            return fp32;
        }

        if (form == Fp32Static)
        {
            // Exported without dynamic axes: batch 3, sequence 12.
            return TransformerEncoderBuilder.Build(batch: 3, seq: 12);
        }

        if (form == DynamicU8S8Tensor)
        {
            return DynamicMatMulQuantizer.Quantize(fp32);
        }

        QuantizerOptions options = form switch
        {
            QdqS8S8Channel => new QuantizerOptions { Format = QuantFormat.Qdq, ActivationType = DataType.Int8, WeightType = DataType.Int8, PerChannel = true },
            QopU8S8Tensor => new QuantizerOptions { Format = QuantFormat.QOperator, ActivationType = DataType.UInt8, WeightType = DataType.Int8, PerChannel = false },
            _ => throw new ArgumentException($"unknown transformer encoder form '{form}'", nameof(form)),
        };
        ModelGraph quantized = StaticQuantizer.Quantize(OnnxModelReader.Import(fp32), Calibration(), options);
        return OnnxModelWriter.ToProto(quantized);
    }

    /// <summary>The calibration feeds: seeded inputs [2, 8, 64], drawn like the test inputs but from other seeds.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorValue>> Calibration() =>
        [.. Enumerable.Range(0, CalibrationBatches).Select(i => (IReadOnlyDictionary<string, TensorValue>)new Dictionary<string, TensorValue>(StringComparer.Ordinal)
        {
            [TransformerEncoderBuilder.InputName] = TransformerEncoderBuilder.Input(2, 8, CalibrationSeed + i),
        })];
}
