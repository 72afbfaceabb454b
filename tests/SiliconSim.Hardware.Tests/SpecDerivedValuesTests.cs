using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Hardware.Tests;

public sealed class SpecDerivedValuesTests
{
    [Theory]
    [InlineData(true, 1024, 512)]
    [InlineData(false, 1024, 1024)]
    [InlineData(true, 1025, 512)]
    public void TileCapacity_IsHalfTheBufferOnlyWhenDoubleBuffered(bool doubleBuffered, long capacity, long expected)
    {
        var buffer = new BufferSpec { Name = "b", Role = BufferRole.Unified, CapacityBytes = capacity, WordBytes = 8, BytesPerCycle = 8, DoubleBuffered = doubleBuffered };
        Assert.Equal(expected, buffer.TileCapacityBytes);
    }

    [Fact]
    public void DefaultNumerics_AreTheReferenceArithmetic()
    {
        var numerics = new ArrayNumericsSpec();
        Assert.True(numerics.IsReference);
        Assert.False((numerics with { AccumulatorBits = 24 }).IsReference);
        Assert.False((numerics with { Requantizer = RequantizerArithmetic.FixedPoint }).IsReference);
    }
}
