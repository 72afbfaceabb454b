using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Tests;

public sealed class GemmShapeTests
{
    [Fact]
    public void Macs_IsTheProductOfTheThreeDimensions_WithoutInt32Overflow()
    {
        Assert.Equal(12_544L * 64 * 147, new GemmShape(12_544, 64, 147).Macs);
        Assert.Equal(4_000_000_000L, new GemmShape(100_000, 200, 200).Macs);
    }
}
