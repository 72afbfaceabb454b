using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// The output path of the array under <see cref="MatrixNumerics"/>: each accumulator of channel c becomes an output
/// code by ORT's fp32 requantizer with <c>scales[c]</c>, or by <see cref="FixedPointRequantizer"/> with
/// <c>FixedPointMultiplier.FromReal(realMultipliers[c])</c>, as <see cref="MatrixNumerics.Requantizer"/> selects.
/// </summary>
public sealed class ArrayRequantizer
{
    private readonly float[] _scales;
    private readonly FixedPointMultiplier[] _multipliers;
    private readonly MatrixNumerics _numerics;

    /// <param name="scales">The fp32 scales as ORT computes them, one per channel.</param>
    /// <param name="realMultipliers">The same multipliers in double from the fp32 quantization parameters (e.g.
    /// <c>(double)s_x · s_w / s_y</c>, as TFLite's PopulateConvolutionQuantizationParams), one per channel.</param>
    /// <param name="numerics">The array's numerics.</param>
    public ArrayRequantizer(ReadOnlySpan<float> scales, ReadOnlySpan<double> realMultipliers, MatrixNumerics numerics)
    {
        ArgumentNullException.ThrowIfNull(numerics);
        if (scales.Length != realMultipliers.Length || scales.IsEmpty)
        {
            throw new ArgumentException($"{scales.Length} fp32 scales and {realMultipliers.Length} real multipliers: expected the same, non-zero count");
        }

        _scales = scales.ToArray();
        _numerics = numerics;
        _multipliers = numerics.Requantizer == RequantizerArithmetic.FixedPoint
            ? [.. realMultipliers.ToArray().Select(FixedPointMultiplier.FromReal)]
            : [];
    }

    /// <summary>The number of channels (scales).</summary>
    public int Channels => _scales.Length;

    /// <summary>The fixed-point multipliers in use; empty with the fp32 requantizer.</summary>
    public IReadOnlyList<FixedPointMultiplier> Multipliers => _multipliers;

    /// <summary>One code of channel <paramref name="channel"/> in [qmin, qmax].</summary>
    public int Requantize(int acc, int channel, int zeroPoint, int qmin, int qmax) =>
        _numerics.Requantizer == RequantizerArithmetic.FixedPoint
            ? FixedPointRequantizer.Requantize(acc, _multipliers[channel], _numerics.FixedPointRounding, zeroPoint, qmin, qmax)
            : Requantizer.Requantize(acc, _scales[channel], zeroPoint, qmin, qmax);

    /// <summary>
    /// <c>y[p] = Requantize(acc[p], (p / innerLength) mod Channels)</c> into <typeparamref name="TY"/>: innerLength 1
    /// for a per-column channel of a row-major [M, N] output, the spatial size for a conv's [N, M, spatial] output.
    /// </summary>
    public void Requantize<TY>(ReadOnlySpan<int> acc, int innerLength, int zeroPoint, Span<TY> y)
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        if (innerLength <= 0 || y.Length < acc.Length)
        {
            throw new ArgumentException("inner length must be positive and the output as long as the accumulators");
        }

        int qmin = Requantizer.QMin<TY>(), qmax = Requantizer.QMax<TY>();
        for (int p = 0; p < acc.Length; p++)
        {
            y[p] = TY.CreateTruncating(Requantize(acc[p], (p / innerLength) % _scales.Length, zeroPoint, qmin, qmax));
        }
    }
}
