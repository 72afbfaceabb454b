namespace SiliconSim.Numerics.Kernels.Attention;

/// <summary>
/// Rotary position embedding of one head row as MLAS's AVX2 kernel computes it (mlas/lib/rotary_embedding_kernel_avx2.cpp,
/// which ORT 1.31 dispatches for fp32 on AVX2 and AVX-512 machines). The first <c>dim</c> elements of a row are rotated
/// in pairs (real, imaginary): split halves (i, i + dim/2) when not interleaved, neighbours (2i, 2i + 1) when
/// interleaved; with c = cos[i], s = sin[i]: real' = fma(real, c, −(imag·s)) and imag' = fma(real, s, imag·c), each
/// inner product rounded once before the fused step. Interleaved rows take that form for pairs in full blocks of 16
/// elements and the first pair after them; the pairs after that are rotated without fma, real' = real·c − imag·s and
/// imag' = real·s + imag·c (ORT 1.31's scalar remainder; found against ORT for every even dim from 2 to 62).
/// Elements past <c>dim</c> are copied unchanged.
/// </summary>
public static class RotaryKernel
{
    /// <summary>Rotates <paramref name="input"/>[0, dim) into <paramref name="output"/> with the half-length caches.</summary>
    public static void Row(ReadOnlySpan<float> input, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, int dim, bool interleaved, Span<float> output)
    {
        int half = dim / 2;
        // Interleaved rows are rotated 16 elements (8 pairs) at a time; of the remaining pairs only the first is fused.
        int plainFrom = ((dim / 16) * 8) + 1;
        for (int i = 0; i < half; i++)
        {
            int ri = interleaved ? 2 * i : i;
            int ii = interleaved ? (2 * i) + 1 : i + half;
            float real = input[ri];
            float imag = input[ii];
            float c = cos[i];
            float s = sin[i];
            float realOut;
            float imagOut;
            if (interleaved && i >= plainFrom)
            {
                realOut = (real * c) - (imag * s);
                imagOut = (real * s) + (imag * c);
            }
            else
            {
                realOut = MathF.FusedMultiplyAdd(real, c, -(imag * s));
                imagOut = MathF.FusedMultiplyAdd(real, s, imag * c);
            }

            output[ri] = realOut;
            output[ii] = imagOut;
        }

        input[dim..].CopyTo(output[dim..]);
    }
}
