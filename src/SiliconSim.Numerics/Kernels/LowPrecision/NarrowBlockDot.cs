using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// <see cref="ScaledMatMul"/>'s fast exact path: every element as an int (its type's value times 2^fraction bits,
/// <see cref="ElementIntegers"/>), every block scale as an odd integer significand times a power of two (an E8M0 scale's
/// significand is 1, an E4M3 scale's at most 15), so a block's scaled sum is the 64-bit integer
/// Σ a_k · b_k · (s_a · s_b) times one power of two, rounded once to fp32 by <see cref="ExactRounding.ToFloat(long, int)"/>.
/// The products go through 64-bit lanes (AVX2 <c>vpmuldq</c>: four exact 32 x 32 → 64-bit products per instruction),
/// or, for integers small enough (fp4, fp6), 16-bit lanes summed in 32 bits (<c>vpmaddwd</c>, sixteen per instruction).
/// <para>It applies when |a| · |b| · block length · |s_a significand| · |s_b significand| &lt; 2^62 over the operands, so
/// no block sum or scaled product can overflow; otherwise (E5M2 elements with large codes, fp32 block scales with long
/// significands) <see cref="ScaledMatMul"/> takes its 128-bit path. Integer sums are exact in any order, so the result
/// is the 128-bit path's bit for bit.</para>
/// </summary>
internal static class NarrowBlockDot
{
    // NaN or Inf block scale: its outputs are NaN.
    private const int NotFinite = int.MaxValue;

    private static readonly double s_limit = Math.ScaleB(1.0, 62);

    public static bool Fits(ScaledOperand a, ScaledOperand b) => Fits(MaxInteger(a), MaxInteger(b), a, b);

    /// <summary>The product, or null when the operands need more than 64 bits (see the class remarks).</summary>
    public static float[]? TryCompute(ScaledOperand a, ScaledOperand b, LowPrecisionAccumulation accumulation, Parallelism parallelism)
    {
        long maxA = MaxInteger(a), maxB = MaxInteger(b);
        if (!Fits(maxA, maxB, a, b))
        {
            return null;
        }

        int depth = a.Depth, blocks = a.BlocksPerRow, size = a.BlockSize, columns = b.Rows;

        // B (the weights, read once per row of A) as ints up front; each row of A as it comes, into a buffer per
        // range of rows (a whole int copy of the activations would be four times their codes, written once, read N times
        // from memory rather than cache).
        int[] ib = Integers(b.Codes, b.Type);
        long[] tableA = ElementIntegers.Of(a.Type).Values;

        // Small integers (fp4, fp6: |a| · |b| · block length < 2^31) also go through 16-bit lanes: vpmaddwd forms 16
        // exact products and adds them in pairs into 32-bit lanes, which cannot overflow under that bound.
        bool shortLanes = maxA <= short.MaxValue && maxB <= short.MaxValue && maxA * maxB * (double)Math.Max(1, Math.Min(size, depth)) < int.MaxValue;
        short[] sb = shortLanes ? [.. ib.Select(v => (short)v)] : [];
        (long[] mantissaA, int[] exponentA) = Scales(a.BlockScales, ElementIntegers.Of(a.Type).FractionBits);
        (long[] mantissaB, int[] exponentB) = Scales(b.BlockScales, ElementIntegers.Of(b.Type).FractionBits);
        bool sequential = accumulation == LowPrecisionAccumulation.SequentialFp32;
        float[] y = new float[a.Rows * columns];
        parallelism.ForRanges(a.Rows, (first, end) =>
        {
            int[] ia = new int[depth];
            short[] sa = new short[shortLanes ? depth : 0];
            for (int m = first; m < end; m++)
            {
                ReadOnlySpan<byte> codesA = a.Codes.AsSpan(m * depth, depth);
                for (int k = 0; k < ia.Length; k++)
                {
                    ia[k] = (int)tableA[codesA[k]];
                }

                for (int k = 0; k < sa.Length; k++)
                {
                    sa[k] = (short)ia[k];
                }

                for (int n = 0; n < columns; n++)
                {
                    float acc = 0f;
                    for (int j = 0; j < blocks; j++)
                    {
                        int ea = exponentA[(m * blocks) + j], eb = exponentB[(n * blocks) + j];
                        if (ea == NotFinite || eb == NotFinite)
                        {
                            acc = float.NaN;
                            continue;
                        }

                        long scale = mantissaA[(m * blocks) + j] * mantissaB[(n * blocks) + j];
                        int start = j * size, length = Math.Min(size, depth - start);
                        ref int ra = ref ia[start];
                        ref int rb = ref ib[(n * depth) + start];
                        if (sequential)
                        {
                            for (int k = 0; k < length; k++)
                            {
                                acc += ExactRounding.ToFloat((long)Unsafe.Add(ref ra, k) * Unsafe.Add(ref rb, k) * scale, ea + eb);
                            }
                        }
                        else if (shortLanes)
                        {
                            acc += ExactRounding.ToFloat(Dot(ref sa[start], ref sb[(n * depth) + start], length) * scale, ea + eb);
                        }
                        else
                        {
                            acc += ExactRounding.ToFloat(Dot(ref ra, ref rb, length) * scale, ea + eb);
                        }
                    }

                    y[(m * columns) + n] = acc * a.RowScales[m] * b.RowScales[n];
                }
            }
        }, minCountPerRange: 16);
        return y;
    }

    /// <summary>Σ a_k · b_k over <paramref name="length"/> ints, exact in 64 bits (the caller bounds the sum).</summary>
    internal static long Dot(ref int a, ref int b, int length)
    {
        long sum = 0;
        int k = 0;
        if (Avx2.IsSupported && length >= 8)
        {
            Vector256<long> acc = Vector256<long>.Zero;
            for (; k <= length - 8; k += 8)
            {
                Vector256<int> va = Vector256.LoadUnsafe(ref a, (nuint)k);
                Vector256<int> vb = Vector256.LoadUnsafe(ref b, (nuint)k);

                // vpmuldq multiplies the low (even) int of each 64-bit lane; shifting each lane right by 32 brings the odd one down.
                acc += Avx2.Multiply(va, vb);
                acc += Avx2.Multiply(Avx2.ShiftRightLogical(va.AsInt64(), 32).AsInt32(), Avx2.ShiftRightLogical(vb.AsInt64(), 32).AsInt32());
            }

            sum = Vector256.Sum(acc);
        }

        for (; k < length; k++)
        {
            sum += (long)Unsafe.Add(ref a, k) * Unsafe.Add(ref b, k);
        }

        return sum;
    }

    private static bool Fits(long maxA, long maxB, ScaledOperand a, ScaledOperand b) =>
        maxA <= int.MaxValue && maxB <= int.MaxValue && Bound(maxA, maxB, a, b) < s_limit;

    /// <summary>Σ a_k · b_k over <paramref name="length"/> shorts; the caller bounds |a| · |b| · length below 2^31.</summary>
    internal static long Dot(ref short a, ref short b, int length)
    {
        int sum = 0;
        int k = 0;
        if (Avx2.IsSupported && length >= 16)
        {
            Vector256<int> acc = Vector256<int>.Zero;
            for (; k <= length - 16; k += 16)
            {
                acc += Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref a, (nuint)k), Vector256.LoadUnsafe(ref b, (nuint)k));
            }

            sum = Vector256.Sum(acc);
        }

        for (; k < length; k++)
        {
            sum += Unsafe.Add(ref a, k) * Unsafe.Add(ref b, k);
        }

        return sum;
    }

    /// <summary>An upper bound on |a · b| summed over a block times both scale significands.</summary>
    private static double Bound(long maxA, long maxB, ScaledOperand a, ScaledOperand b) =>
        (double)maxA * maxB * Math.Max(1, Math.Min(a.BlockSize, a.Depth)) * MaxSignificand(a.BlockScales) * MaxSignificand(b.BlockScales);

    /// <summary>The largest |integer| among the codes the operand uses.</summary>
    /// <exception cref="ArgumentException">a code is NaN or Inf.</exception>
    private static long MaxInteger(ScaledOperand x)
    {
        ElementIntegers table = ElementIntegers.Of(x.Type);
        Span<bool> used = stackalloc bool[256];
        foreach (byte c in x.Codes)
        {
            used[c] = true;
        }

        long max = 0;
        for (int c = 0; c < table.Values.Length; c++)
        {
            if (used[c])
            {
                max = table.Finite[c] ? Math.Max(max, Math.Abs(table.Values[c])) : throw new ArgumentException($"element code 0x{c:X2} of {x.Type} is not finite");
            }
        }

        return max;
    }

    private static int[] Integers(byte[] codes, MxElementType type)
    {
        long[] table = ElementIntegers.Of(type).Values;
        int[] result = new int[codes.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (int)table[codes[i]];
        }

        return result;
    }

    private static double MaxSignificand(float[] scales)
    {
        long max = 0;
        foreach (float s in scales)
        {
            (long mantissa, int exponent) = OddSplit(s);
            max = exponent == NotFinite ? max : Math.Max(max, Math.Abs(mantissa));
        }

        return max;
    }

    /// <summary>Each scale as an odd significand times 2^exponent, the exponent less the elements' fraction bits.</summary>
    private static (long[] Mantissa, int[] Exponent) Scales(float[] scales, int fractionBits)
    {
        long[] mantissa = new long[scales.Length];
        int[] exponent = new int[scales.Length];
        for (int i = 0; i < scales.Length; i++)
        {
            (long m, int e) = OddSplit(scales[i]);
            (mantissa[i], exponent[i]) = e == NotFinite ? (0, NotFinite) : (m, e - fractionBits);
        }

        return (mantissa, exponent);
    }

    /// <summary><see cref="ScaledMatMul.Split"/> with the significand's trailing zero bits moved into the exponent.</summary>
    private static (long Mantissa, int Exponent) OddSplit(float scale)
    {
        (long m, int e) = ScaledMatMul.Split(scale);
        if (e == NotFinite || m == 0)
        {
            return (m, e);
        }

        int zeros = System.Numerics.BitOperations.TrailingZeroCount(m);
        return (m >> zeros, e + zeros);
    }
}
