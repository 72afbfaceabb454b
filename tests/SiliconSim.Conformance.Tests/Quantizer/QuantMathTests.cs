using SiliconSim.Graph.Quantization;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantizer;

/// <summary>Laws of the quantizer arithmetic that hold whatever the data (the bits themselves are held to ORT's files
/// by <see cref="DigitsQuantizerTests"/>).</summary>
public sealed class QuantMathTests
{
    [Fact]
    public void ComputeScaleZp_RangeWithoutZero_IsWidenedToHoldZero()
    {
        (float s, int z) = QuantMath.ComputeScaleZp(2f, 4f, 0, 255, symmetric: false);
        Assert.Equal(0, z);
        Assert.Equal((float)(4.0 / 255.0), s);
    }

    [Fact]
    public void ComputeScaleZp_EmptyRange_GivesScaleOneZeroPointZero()
    {
        Assert.Equal((1f, 0), QuantMath.ComputeScaleZp(0f, 0f, -128, 127, symmetric: false));
    }

    [Fact]
    public void ComputeScaleZp_HalfwayZeroPoint_RoundsToEven()
    {
        // Range [-1, 509] over 255 steps: scale 2, and qmin - rmin / scale = 0.5 rounds to 0 (half to even), not 1.
        (float s, int z) = QuantMath.ComputeScaleZp(-1f, 509f, 0, 255, symmetric: false);
        Assert.Equal(2f, s);
        Assert.Equal(0, z);
    }

    [Fact]
    public void QuantizeValue_Ties_RoundHalfToEven()
    {
        Assert.Equal(2, QuantMath.QuantizeValue(2.5f, 1f, 0, DataType.Int8));
        Assert.Equal(-2, QuantMath.QuantizeValue(-2.5f, 1f, 0, DataType.Int8));
        Assert.Equal(4, QuantMath.QuantizeValue(3.5f, 1f, 0, DataType.Int8));
    }

    [Fact]
    public void QuantizeWeight_SymmetricInt8_ZeroPointZeroAndExtremesAt127()
    {
        var w = TensorValue.Create(DataType.Float, [2, 3], new[] { -0.5f, 0.25f, 0.1f, 3f, -1f, 2f });
        var (q, scales, zps) = QuantMath.QuantizeWeight(w, DataType.Int8, symmetric: true, reduceRange: false, axis: 0);
        Assert.Equal(new[] { 0, 0 }, zps);
        sbyte[] v = q.Items<sbyte>();
        Assert.Equal(-127, v[0]);
        Assert.Equal(127, v[3]);
        // scale = 2 * absmax / 254 per channel.
        Assert.Equal(new[] { (float)(1.0 / 254), (float)(6.0 / 254) }, scales);
    }

    [Fact]
    public void QuantizeBias_UsesInputTimesWeightScale()
    {
        var (q, scales) = QuantMath.QuantizeBias([1f, -1f], 0.5f, [0.25f, 0.125f], 1f);
        Assert.Equal(new[] { 0.125f, 0.0625f }, scales);
        Assert.Equal(new[] { 8, -16 }, q);
    }
}
