using System.Numerics;

namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// A conv's weights packed once for the integer conv kernels (issue 18: as MLAS packs a constant weight once per
/// session): the route, the zero-point-adjusted weight quads or int16 rows and the per-channel correction terms for one
/// geometry and one pair of zero points. Immutable and safe to share between runs and threads; a graph executor keeps
/// one per constant weight tensor and checks <see cref="Matches"/> before each reuse.
/// </summary>
public sealed class PackedConvWeights
{
    private PackedConvWeights(QuantizedConvCore core, Type inputType)
    {
        Core = core;
        InputType = inputType;
    }

    /// <summary>The input code type the weights were packed for (signed and unsigned inputs pack differently).</summary>
    public Type InputType { get; }

    /// <summary>The geometry the weights were packed for.</summary>
    public ConvGeometry Geometry => Core.Geometry;

    internal QuantizedConvCore Core { get; }

    /// <summary>
    /// Packs weights [M, C/group, k...] for inputs of type <typeparamref name="TX"/> with zero point
    /// <paramref name="xZeroPoint"/>; <paramref name="wZeroPoints"/> has 1 or M values.
    /// </summary>
    /// <exception cref="ArgumentException">the weights or zero points do not fit the geometry.</exception>
    public static PackedConvWeights Pack<TX, TW>(ConvGeometry geometry, int xZeroPoint, ReadOnlySpan<TW> w, ReadOnlySpan<int> wZeroPoints)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new PackedConvWeights(QuantizedConvCore.Create<TX, TW>(geometry, xZeroPoint, w, wZeroPoints), typeof(TX));
    }

    /// <summary>True when these packed weights serve a conv of <paramref name="geometry"/> with these zero points.</summary>
    public bool Matches(ConvGeometry geometry, int xZeroPoint, ReadOnlySpan<int> wZeroPoints)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return Core.Matches(geometry, xZeroPoint, wZeroPoints);
    }
}
