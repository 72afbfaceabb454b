using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Simulation.Memory;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>The generated cases reach every regime the properties are meant to cover, or the laws would pass vacuously.</summary>
public sealed class GeneratorCoverageTests
{
    [Fact]
    public void MemoryCases_ReachEveryRegime()
    {
        var cases = MemoryGenerators.MemoryCases().Generator.Sample(150, new Rnd(20261123), 20);
        var results = cases.Select(c => MatrixMemoryModel.Evaluate(c.Layer, c.Spec, TestSpecs.SixteenMacsPerCycle)).ToList();
        var feasible = results.Where(r => r.Status == MappingStatus.Feasible).ToList();

        Assert.True(feasible.Count > 75, $"only {feasible.Count} of {results.Count} feasible");
        Assert.True(feasible.Any(r => r.Mapping!.TileCount == 1), "r => r.Mapping!.TileCount == 1");
        Assert.True(feasible.Any(r => r.Mapping!.KTiles > 1), "r => r.Mapping!.KTiles > 1");
        Assert.True(feasible.Any(r => r.Mapping!.MTiles > 1 && r.Mapping.NTiles > 1), "r => r.Mapping!.MTiles > 1 && r.Mapping.NTiles > 1");
        Assert.True(feasible.Any(r => r.Mapping!.GroupsPerTile > 1), "r => r.Mapping!.GroupsPerTile > 1");
        Assert.True(feasible.Any(r => r.Dram.PartialSumWriteBytes > 0), "r => r.Dram.PartialSumWriteBytes > 0");
        Assert.True(feasible.Any(r => r.PortStallCycles > 0), "r => r.PortStallCycles > 0");
        Assert.True(feasible.Any(r => r.Roofline!.IsMemoryBound), "r => r.Roofline!.IsMemoryBound");
        Assert.True(feasible.Any(r => !r.Roofline!.IsMemoryBound), "r => !r.Roofline!.IsMemoryBound");
        // Input-reuse wins only in a narrow regime (hand case Evaluate_TwoRowsAndTinyOutputBuffer_KeepsTheInputResidentAcrossN);
        // TileWalk_MatchesTheClosedForm_UnderEveryLoopOrder walks all six orders on every generated case.
        foreach (OperandKind reused in new[] { OperandKind.Output, OperandKind.Weight })
        {
            Assert.True(feasible.Any(r => r.Mapping!.Order.Reused == reused && r.Mapping.TileCount > 1), $"{reused}: " + string.Join(",", feasible.Where(r => r.Mapping!.TileCount > 1).Select(r => r.Mapping!.Order)));
        }
    }
}
