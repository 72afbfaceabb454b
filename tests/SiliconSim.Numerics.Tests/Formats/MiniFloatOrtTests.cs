using SiliconSim.Numerics.Formats;
using SiliconSim.TestSupport;

namespace SiliconSim.Numerics.Tests.Formats;

/// <summary>
/// The codecs against ONNX Runtime's own Cast (float → small float → float, opset 23). Decoding is exact and injective
/// apart from NaN, so comparing the round-tripped floats bit for bit (any NaN equal to any NaN) compares the codes.
/// </summary>
public sealed class MiniFloatOrtTests
{
    public static TheoryData<DataType, bool> Cases()
    {
        var data = new TheoryData<DataType, bool>();
        foreach (DataType t in new[] { DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ, DataType.Float8E5M2, DataType.Float8E5M2FNUZ })
        {
            data.Add(t, true);
            data.Add(t, false);
        }

        // ORT 1.31's CPU provider has no Cast to float4e2m1 ("Could not find an implementation for Cast(23)"), so
        // Fp4E2M1 is checked against the ONNX node tests and the format laws only.
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_MatchesOrtCast_OnEveryCodeMidpointAndNeighbour(DataType type, bool saturate)
    {
        float[] inputs = Probes(type);
        byte[] model = new OnnxBuilder(opset: 23)
            .Input("x", DataType.Float, inputs.Length)
            .Node("Cast", ["x"], ["q"], attributes: [("to", (long)type), ("saturate", saturate ? 1L : 0L)])
            .Node("Cast", ["q"], ["y"], attributes: [("to", (long)DataType.Float)])
            .Output("y", DataType.Float)
            .ToBytes();
        float[] ort = OrtOracle.RunSingle(model, ("x", TensorValue.FromFloats([inputs.Length], inputs))).Items<float>();
        var mismatches = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            float ours = MiniFloats.Decode(type, MiniFloats.Encode(type, inputs[i], saturate));
            bool same = (float.IsNaN(ours) && float.IsNaN(ort[i])) || BitConverter.SingleToUInt32Bits(ours) == BitConverter.SingleToUInt32Bits(ort[i]);
            if (!same)
            {
                mismatches.Add($"x={inputs[i]:R} (0x{BitConverter.SingleToUInt32Bits(inputs[i]):X8}): ours {ours:R}, ORT {ort[i]:R}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count}/{inputs.Length} mismatches:\n" + string.Join('\n', mismatches.Take(20)));
    }

    [Theory]
    [InlineData(DataType.Float8E4M3FN)]
    [InlineData(DataType.Float8E4M3FNUZ)]
    [InlineData(DataType.Float8E5M2)]
    [InlineData(DataType.Float8E5M2FNUZ)]
    public void Decode_MatchesOrtCast_BitForBitOnEveryCode(DataType type)
    {
        // NaN payloads included: the decoded fp32 bits must be ORT's exactly.
        byte[] codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        byte[] model = new OnnxBuilder(opset: 21)
            .Initializer("q", TensorValue.Create(type, [256], codes))
            .Node("Cast", ["q"], ["y"], attributes: [("to", (long)DataType.Float)])
            .Output("y", DataType.Float)
            .ToBytes();
        float[] ort = OrtOracle.Run(model, [], Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL)[0].Value.Items<float>();
        Assert.Equal(ort.Select(BitConverter.SingleToUInt32Bits), codes.Select(c => BitConverter.SingleToUInt32Bits(MiniFloats.Decode(type, c))));
    }

    /// <summary>Every code's value, every midpoint between neighbours and the floats on each side of it, beyond the
    /// top of the range, ±Inf, both NaN signs, ±0 and values below the smallest subnormal.</summary>
    private static float[] Probes(DataType type)
    {
        var values = new List<float>();
        int count = MiniFloats.CodeCount(type);
        var finite = new List<float>();
        for (int c = 0; c < count; c++)
        {
            float v = MiniFloats.Decode(type, (byte)c);
            if (float.IsFinite(v))
            {
                finite.Add(v);
            }
        }

        finite.Sort();
        float[] sorted = [.. finite.Distinct()];
        for (int k = 0; k < sorted.Length; k++)
        {
            values.Add(sorted[k]);
            values.Add(MathF.BitIncrement(sorted[k]));
            values.Add(MathF.BitDecrement(sorted[k]));
            if (k + 1 < sorted.Length)
            {
                float mid = (sorted[k] + sorted[k + 1]) / 2;
                values.AddRange([mid, MathF.BitIncrement(mid), MathF.BitDecrement(mid)]);
            }
        }

        float max = sorted[^1];
        float beyond = max + ((max - sorted[^2]) / 2);
        foreach (float v in new[] { beyond, MathF.BitIncrement(beyond), MathF.BitDecrement(beyond), max * 4, 1e30f, float.MaxValue, float.PositiveInfinity, 1e-30f, float.Epsilon, 0f })
        {
            values.Add(v);
            values.Add(-v);
        }

        // Dense sweeps over the top binades, where ORT's float8.h has its own overflow rules.
        for (float v = max / 2; v < max * 2.5f; v += max / 256)
        {
            values.Add(v);
            values.Add(-v);
            values.Add(MathF.BitIncrement(v));
            values.Add(MathF.BitDecrement(v));
        }

        values.Add(BitConverter.UInt32BitsToSingle(0x7FC00000));
        values.Add(BitConverter.UInt32BitsToSingle(0xFFC00000));
        return [.. values];
    }
}
