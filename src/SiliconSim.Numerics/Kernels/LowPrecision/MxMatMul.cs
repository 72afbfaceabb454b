using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// Y[m, n] = Σ_k A[m, k] · B[n, k] for OCP MX operands blocked along k, with the array's accumulation semantics
/// (<see cref="LowPrecisionAccumulation"/>): <see cref="ScaledMatMul"/> with the E8M0 scales as block scales and unit row scales.
/// Element products are exact; a block with a NaN scale makes its outputs NaN.
/// </summary>
public static class MxMatMul
{
    /// <param name="a">M x K.</param>
    /// <param name="b">N x K (the weights transposed, blocked along K like <paramref name="a"/>).</param>
    public static float[] Compute(MxMatrix a, MxMatrix b, LowPrecisionAccumulation accumulation)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Depth != b.Depth)
        {
            throw new ArgumentException($"inner dimensions differ: {a.Depth} vs {b.Depth}");
        }

        return ScaledMatMul.Compute(ToScaled(a), ToScaled(b), accumulation);
    }

    private static ScaledOperand ToScaled(MxMatrix x) => new(
        x.Type, x.Rows, x.Depth, MxBlockCodec.BlockSize, x.Codes, [.. x.Scales.Select(E8M0.Decode)], [.. Enumerable.Repeat(1f, x.Rows)]);
}
