using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// Y[m, n] = Σ_k A[m, k] · B[n, k] for MX operands blocked along k, with the array's accumulation semantics
/// (<see cref="MxAccumulation"/>). Element products are exact; a block with a NaN scale makes its outputs NaN.
/// </summary>
public static class MxMatMul
{
    // Every MX element value is an integer multiple of 2^-16 (E5M2's smallest subnormal; the others are coarser), so a
    // product of two is a multiple of 2^-32: scaled by 2^32, block sums are exact integers that fit in Int128.
    private const int ProductFractionBits = 32;

    /// <param name="a">M x K.</param>
    /// <param name="b">N x K (the weights transposed, blocked along K like <paramref name="a"/>).</param>
    public static float[] Compute(MxMatrix a, MxMatrix b, MxAccumulation accumulation)
    {
        if (a.Depth != b.Depth)
        {
            throw new ArgumentException($"inner dimensions differ: {a.Depth} vs {b.Depth}");
        }

        int depth = a.Depth;
        int blocks = a.BlocksPerRow;
        float[] da = Decode(a);
        float[] db = Decode(b);
        float[] y = new float[a.Rows * b.Rows];
        for (int m = 0; m < a.Rows; m++)
        {
            for (int n = 0; n < b.Rows; n++)
            {
                float acc = 0f;
                for (int j = 0; j < blocks; j++)
                {
                    byte sa = a.Scales[(m * blocks) + j], sb = b.Scales[(n * blocks) + j];
                    if (sa == E8M0.NaN || sb == E8M0.NaN)
                    {
                        acc = float.NaN;
                        continue;
                    }

                    int scaleExponent = sa - 127 + (sb - 127);
                    int start = j * MxBlockCodec.BlockSize, end = Math.Min(depth, start + MxBlockCodec.BlockSize);
                    ReadOnlySpan<float> ra = da.AsSpan((m * depth) + start, end - start);
                    ReadOnlySpan<float> rb = db.AsSpan((n * depth) + start, end - start);
                    if (accumulation == MxAccumulation.BlockExactThenFp32)
                    {
                        Int128 sum = 0;
                        for (int k = 0; k < ra.Length; k++)
                        {
                            sum += (Int128)Math.ScaleB((double)ra[k] * rb[k], ProductFractionBits);
                        }

                        acc += ExactRounding.ToFloat(sum, scaleExponent - ProductFractionBits);
                    }
                    else
                    {
                        for (int k = 0; k < ra.Length; k++)
                        {
                            // The product of two MX elements has at most 2 x 8 significant bits: exact in fp32 and in double.
                            acc += (float)Math.ScaleB((double)ra[k] * rb[k], scaleExponent);
                        }
                    }
                }

                y[(m * b.Rows) + n] = acc;
            }
        }

        return y;
    }

    private static float[] Decode(MxMatrix x)
    {
        float[] values = new float[x.Codes.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MxElements.Decode(x.Type, x.Codes[i]);
        }

        return values;
    }
}
