using System.Runtime.InteropServices;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// ONNX QuantizeLinear as ONNX Runtime's x86 CPU provider computes it, per tensor, per axis or blocked.
/// <para>Integer targets (int8, uint8, int16, uint16, int4, uint4, int2, uint2), MLAS MlasQuantizeLinear
/// (mlas/lib/quantize.cpp): v = x / s as one fp32 division (never a multiply by 1/s); v clamped in fp32 to
/// [qmin − z, qmax − z] with SSE max/min operand order, so NaN lands on qmin − z; rounded half to even (cvtps2dq);
/// then z added. Because the bounds are integers, clamping before rounding equals clamping after.</para>
/// <para>Some ORT paths instead round first: r = int32(nearbyint(x / s)) (NaN and |x / s| ≥ 2^31 give int.MinValue,
/// x86's integer indefinite), then clamp(r + z, qmin, qmax) with a wrapping add. The two forms differ only for NaN and
/// |x / s| ≥ 2^31 (including ±Inf). ORT takes the round-first form (quantize_linear.cc BlockedQuantizeLinear, qmath.h
/// ParQuantizeLinearStd for MLFloat16 and ParQuantizeLinearStdS4/U4) for: every float16 input (verified: fp16 +Inf
/// gives qmin); blocked quantization when the axis is not innermost (Inner > 1); and 4-bit outputs at a byte-misaligned edge of a run (a run is the whole tensor per
/// tensor, one axis slice per axis, one block when blocked on the innermost axis), whose interior MLAS's S4/U4 kernels
/// handle. 2-bit outputs always round first (the ONNX reference's rint→int32→clip).</para>
/// <para>Float targets (float8 ×4): encode(x / s) with round to nearest even and the 'saturate' rule; the zero point
/// is not added (ORT's ParQuantizeLinearSat ignores it; ONNX requires it to be 0). float4e2m1: encode(x / s + zp)
/// as the ONNX reference does; float4 always saturates.</para>
/// Inputs x and scale may be float, float16 or bfloat16; both are widened exactly to fp32 first.
/// </summary>
public static class QuantizeLinear
{
    /// <summary>Quantizes <paramref name="x"/> to <paramref name="outputType"/>.</summary>
    /// <param name="parallelism">Threads for the elements; the bits do not depend on it (every element is computed alone).</param>
    /// <exception cref="ArgumentException">an unsupported type or mismatched shapes.</exception>
    public static TensorValue Run(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0, bool saturate = true, Parallelism parallelism = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        // fp32 to 8-bit codes, per tensor or per axis: the vectorised rows (the form real models use between layers).
        if (x.Type == DataType.Float && scale.Type == DataType.Float && blockSize == 0 && outputType is DataType.Int8 or DataType.UInt8
            && (zeroPoint is null || zeroPoint.Type == outputType))
        {
            var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
            return TensorValue.Create(outputType, x.Shape.AsSpan(), Vectorised(x.Items<float>(), scale.Items<float>(), zeroPoint, outputType, layout, parallelism));
        }

        return RunScalar(x, scale, zeroPoint, outputType, axis, blockSize, saturate);
    }

    /// <summary>The scalar reference of <see cref="Run"/>: one element at a time, every layout and type.</summary>
    /// <exception cref="ArgumentException">an unsupported type or mismatched shapes.</exception>
    public static TensorValue RunScalar(TensorValue x, TensorValue scale, TensorValue? zeroPoint, DataType outputType, long axis = 1, long blockSize = 0, bool saturate = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scale);
        if (zeroPoint is not null && zeroPoint.Type != outputType)
        {
            throw new ArgumentException($"the zero point is {DataTypeInfo.Name(zeroPoint.Type)} but the output is {DataTypeInfo.Name(outputType)}");
        }

        var layout = QuantLayout.Resolve(x.Shape.AsSpan(), scale.Shape.AsSpan(), zeroPoint is null ? default : zeroPoint.Shape.AsSpan(), zeroPoint is not null, axis, blockSize);
        float[] xs = TensorConvert.ToSingles(x);
        float[] scales = TensorConvert.ToSingles(scale);
        if (IsIntegerTarget(outputType))
        {
            int[] zps = zeroPoint is null ? new int[scales.Length] : TensorConvert.ToInt32s(zeroPoint);
            bool[] roundFirst = RoundFirstElements(layout, xs.Length, DataTypeInfo.BitWidth(outputType), x.Type == DataType.Float16);
            return TensorConvert.FromInt32s(outputType, x.Shape.AsSpan(), QuantizeIntegers(xs, scales, zps, layout, DataTypeInfo.IntegerRange(outputType), roundFirst));
        }

        if (outputType is DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float4E2M1)
        {
            float[]? zps = outputType == DataType.Float4E2M1 && zeroPoint is not null ? TensorConvert.ToSingles(zeroPoint) : null;
            return TensorValue.Create(outputType, x.Shape.AsSpan(), QuantizeFloats(xs, scales, zps, layout, outputType, saturate));
        }

        throw new ArgumentException($"QuantizeLinear cannot produce {DataTypeInfo.Name(outputType)}");
    }

    private static Array Vectorised(float[] xs, float[] scales, TensorValue? zeroPoint, DataType outputType, QuantLayout layout, Parallelism parallelism)
    {
        int[] zps = zeroPoint is null ? new int[scales.Length] : TensorConvert.ToInt32s(zeroPoint);
        var (qmin, qmax) = DataTypeInfo.IntegerRange(outputType);
        // An int8 tensor is stored as sbyte[]; the rows write the codes' bytes through a reinterpreting view.
        sbyte[]? signed = outputType == DataType.Int8 ? TensorArena.Allocate<sbyte>(xs.Length) : null;
        byte[]? unsigned = signed is null ? TensorArena.Allocate<byte>(xs.Length) : null;
        layout.ForEachRun(xs.Length, parallelism, QdqVectors.MinElementsPerThread, (start, end, p) =>
        {
            Span<byte> dst = signed is not null ? MemoryMarshal.AsBytes(signed.AsSpan(start, end - start)) : unsigned.AsSpan(start, end - start);
            QdqVectors.QuantizeRow(xs.AsSpan(start, end - start), scales[p], zps[p], (int)qmin, (int)qmax, dst);
        });
        return (Array?)signed ?? unsigned!;
    }

    /// <summary>True for the integer output types QuantizeLinear supports.</summary>
    public static bool IsIntegerTarget(DataType type) => type is DataType.Int8 or DataType.UInt8 or DataType.Int16
        or DataType.UInt16 or DataType.Int4 or DataType.UInt4 or DataType.Int2 or DataType.UInt2;

    /// <summary>One element with MLAS's arithmetic: clamp(x / s, qmin − z, qmax − z) rounded half to even, plus z.</summary>
    public static int QuantizeOne(float x, float scale, int zeroPoint, int qmin, int qmax)
    {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        float v = x / scale;
        // _mm_max_ps(v, lo) returns its second operand unless v > lo, and _mm_min_ps(v, hi) its second unless v < hi:
        // NaN therefore becomes lo, i.e. qmin after adding z.
        v = v > lo ? v : lo;
        v = v < hi ? v : hi;
        return Rounding.ToInt32NearestEven(v) + zeroPoint;
    }

    /// <summary>One element in ORT's round-first form: clamp(int32(nearbyint(x / s)) + z, qmin, qmax), the add wrapping.</summary>
    public static int QuantizeOneRoundFirst(float x, float scale, int zeroPoint, int qmin, int qmax) =>
        Math.Clamp(unchecked(Rounding.ToInt32NearestEven(x / scale) + zeroPoint), qmin, qmax);

    // Which elements ORT quantizes in the round-first form (see the type's remarks).
    private static bool[] RoundFirstElements(QuantLayout layout, int count, int bits, bool halfInput)
    {
        var flags = new bool[count];
        bool blocked = layout.BlockSize > 0;
        if (bits == 2 || halfInput || (blocked && layout.Inner > 1))
        {
            Array.Fill(flags, true);
            return flags;
        }

        if (bits != 4)
        {
            return flags;
        }

        // 4-bit: mark the misaligned first/last element of every run handed to the S4/U4 kernel.
        if (layout.PerTensor)
        {
            MarkEdges(flags, 0, count);
        }
        else if (!blocked)
        {
            for (int run = 0; run < layout.Outer * layout.AxisDim; run++)
            {
                MarkEdges(flags, run * layout.Inner, (run + 1) * layout.Inner);
            }
        }
        else
        {
            for (int o = 0; o < layout.Outer; o++)
            {
                for (int a = 0; a < layout.AxisDim; a += layout.BlockSize)
                {
                    int start = (o * layout.AxisDim) + a;
                    MarkEdges(flags, start, Math.Min(start + layout.BlockSize, (o + 1) * layout.AxisDim));
                }
            }
        }

        return flags;
    }

    private static void MarkEdges(bool[] flags, int start, int end)
    {
        if (start >= end)
        {
            return;
        }

        if ((start & 1) != 0)
        {
            flags[start] = true;
            start++;
        }

        if ((end & 1) != 0 && end > start)
        {
            flags[end - 1] = true;
        }
    }

    private static int[] QuantizeIntegers(float[] xs, float[] scales, int[] zps, QuantLayout layout, (long Min, long Max) range, bool[] roundFirst)
    {
        var q = new int[xs.Length];
        int qmin = (int)range.Min;
        int qmax = (int)range.Max;
        int i = 0;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int a = 0; a < layout.AxisDim; a++)
            {
                if (layout.BlockSize == 0)
                {
                    int p = layout.ParamIndex(o, a, 0);
                    float s = scales[p];
                    int z = zps[p];
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        q[i] = roundFirst[i] ? QuantizeOneRoundFirst(xs[i], s, z, qmin, qmax) : QuantizeOne(xs[i], s, z, qmin, qmax);
                    }
                }
                else
                {
                    int p0 = layout.ParamIndex(o, a, 0);
                    for (int n = 0; n < layout.Inner; n++, i++)
                    {
                        q[i] = roundFirst[i] ? QuantizeOneRoundFirst(xs[i], scales[p0 + n], zps[p0 + n], qmin, qmax) : QuantizeOne(xs[i], scales[p0 + n], zps[p0 + n], qmin, qmax);
                    }
                }
            }
        }

        return q;
    }

    private static byte[] QuantizeFloats(float[] xs, float[] scales, float[]? zps, QuantLayout layout, DataType type, bool saturate)
    {
        var q = new byte[xs.Length];
        int i = 0;
        for (int o = 0; o < layout.Outer; o++)
        {
            for (int a = 0; a < layout.AxisDim; a++)
            {
                for (int n = 0; n < layout.Inner; n++, i++)
                {
                    int p = layout.ParamIndex(o, a, n);
                    float v = xs[i] / scales[p];
                    if (zps is not null)
                    {
                        v += zps[p];
                    }

                    q[i] = MiniFloats.Encode(type, v, saturate);
                }
            }
        }

        return q;
    }
}
