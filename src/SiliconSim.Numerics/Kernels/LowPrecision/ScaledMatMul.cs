using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// Y[m, n] = Σ_k A[m, k] · B[n, k] for block-scaled low-precision operands (<see cref="ScaledOperand"/>), with the
/// array's accumulation semantics (<see cref="LowPrecisionAccumulation"/>):
/// <list type="bullet">
/// <item>element products are exact, and so are their products with both blocks' scales (a block scale is an E8M0
/// power of two, an E4M3 value or any fp32: at most 24 significant bits);</item>
/// <item><see cref="LowPrecisionAccumulation.BlockExactThenFp32"/>: each block pair's scaled sum is formed exactly and rounded once
/// to fp32 (nearest-even), then added to an fp32 accumulator in block order;
/// <see cref="LowPrecisionAccumulation.SequentialFp32"/>: each scaled product is rounded to fp32 and added in k order;</item>
/// <item>the row scales apply last, in fp32: <c>y = fl(fl(acc · rowScaleA[m]) · rowScaleB[n])</c>.</item>
/// </list>
/// A NaN block or row scale makes the outputs it touches NaN. Blocks of A and B must line up: both operands share the
/// depth and block size.
/// </summary>
public static class ScaledMatMul
{
    // Every element value of every MX element type is an integer multiple of 2^-16 (E5M2's smallest subnormal; the
    // others are coarser), so element codes become exact integers at this scale.
    private const int ElementFractionBits = 16;

    /// <param name="a">M x K activations.</param>
    /// <param name="b">N x K weights (transposed), blocked like <paramref name="a"/>.</param>
    /// <param name="parallelism">Threads for the rows of <paramref name="a"/>; each output is computed the same way on
    /// any thread, so the bits do not depend on it.</param>
    /// <exception cref="ArgumentException">the operands do not line up.</exception>
    /// <exception cref="OverflowException">a block sum exceeds 127 bits (far beyond any block of these formats).</exception>
    public static float[] Compute(ScaledOperand a, ScaledOperand b, LowPrecisionAccumulation accumulation, Parallelism parallelism = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.Validate();
        b.Validate();
        if (a.Depth != b.Depth || a.BlockSize != b.BlockSize)
        {
            throw new ArgumentException($"operands do not line up: depth {a.Depth} vs {b.Depth}, block {a.BlockSize} vs {b.BlockSize}");
        }

        return NarrowBlockDot.TryCompute(a, b, accumulation, parallelism) ?? ComputeWide(a, b, accumulation);
    }

    /// <summary>True when <see cref="Compute"/> takes the 64-bit path for these operands (false: the 128-bit one).</summary>
    public static bool FitsNarrowPath(ScaledOperand a, ScaledOperand b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return NarrowBlockDot.Fits(a, b);
    }

    /// <summary>
    /// The 128-bit path, for operands whose block sums may not fit 64 bits (E5M2 elements, fp32 block scales with long
    /// significands): every element as an integer at scale 2^16, block sums in Int128 where a long could overflow.
    /// </summary>
    internal static float[] ComputeWide(ScaledOperand a, ScaledOperand b, LowPrecisionAccumulation accumulation)
    {
        long[] ia = Integers(a);
        long[] ib = Integers(b);
        (long Mantissa, int Exponent)[] sa = [.. a.BlockScales.Select(Split)];
        (long Mantissa, int Exponent)[] sb = [.. b.BlockScales.Select(Split)];
        int depth = a.Depth, blocks = a.BlocksPerRow, size = a.BlockSize;

        // A block sum fits a long when |a| · |b| · block size < 2^62 (fp4 and fp6 elements always; fp8 E4M3 too).
        bool narrowSums = (double)MaxAbs(ia) * MaxAbs(ib) * size < Math.ScaleB(1.0, 62);
        float[] y = new float[a.Rows * b.Rows];
        for (int m = 0; m < a.Rows; m++)
        {
            for (int n = 0; n < b.Rows; n++)
            {
                float acc = 0f;
                for (int j = 0; j < blocks; j++)
                {
                    (long ma, int ea) = sa[(m * blocks) + j];
                    (long mb, int eb) = sb[(n * blocks) + j];
                    if (ea == int.MaxValue || eb == int.MaxValue)
                    {
                        acc = float.NaN;
                        continue;
                    }

                    int exponent = ea + eb - (2 * ElementFractionBits);
                    Int128 scale = (Int128)ma * mb;
                    int start = j * size, end = Math.Min(depth, start + size);
                    if (accumulation == LowPrecisionAccumulation.BlockExactThenFp32 && narrowSums)
                    {
                        long sum = 0;
                        for (int k = start; k < end; k++)
                        {
                            sum += ia[(m * depth) + k] * ib[(n * depth) + k];
                        }

                        acc += ExactRounding.ToFloat(checked(sum * scale), exponent);
                    }
                    else if (accumulation == LowPrecisionAccumulation.BlockExactThenFp32)
                    {
                        Int128 sum = 0;
                        for (int k = start; k < end; k++)
                        {
                            sum += (Int128)ia[(m * depth) + k] * ib[(n * depth) + k];
                        }

                        acc += ExactRounding.ToFloat(checked(sum * scale), exponent);
                    }
                    else
                    {
                        for (int k = start; k < end; k++)
                        {
                            acc += ExactRounding.ToFloat(checked((Int128)ia[(m * depth) + k] * ib[(n * depth) + k] * scale), exponent);
                        }
                    }
                }

                y[(m * b.Rows) + n] = acc * a.RowScales[m] * b.RowScales[n];
            }
        }

        return y;
    }

    private static long[] Integers(ScaledOperand x)
    {
        // One decode per distinct code, not per element; null marks a NaN/Inf code.
        long?[] table = new long?[MxElements.CodeCount(x.Type)];
        for (int c = 0; c < table.Length; c++)
        {
            float v = MxElements.Decode(x.Type, (byte)c);
            table[c] = float.IsFinite(v) ? (long)Math.ScaleB(v, ElementFractionBits) : null;
        }

        long[] result = new long[x.Codes.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = table[x.Codes[i]] ?? throw new ArgumentException($"element code 0x{x.Codes[i]:X2} of {x.Type} is not finite");
        }

        return result;
    }

    private static long MaxAbs(long[] values)
    {
        long max = 0;
        foreach (long v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>A finite float as mantissa · 2^exponent with an integer mantissa; NaN/Inf as exponent int.MaxValue.</summary>
    internal static (long Mantissa, int Exponent) Split(float scale)
    {
        if (!float.IsFinite(scale))
        {
            return (0, int.MaxValue);
        }

        if (scale == 0)
        {
            return (0, 0);
        }

        int bits = BitConverter.SingleToInt32Bits(scale);
        int biased = (bits >> 23) & 0xFF;
        long mantissa = biased == 0 ? bits & 0x7FFFFF : (bits & 0x7FFFFF) | 0x800000;
        int exponent = (biased == 0 ? 1 : biased) - 127 - 23;
        return (scale < 0 ? -mantissa : mantissa, exponent);
    }
}
