using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;
using SiliconSim.Simulation.Tests.Memory;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Simulation.Tests.Timing;

/// <summary>
/// <c>timing: scalesim</c> is SCALE-Sim's CALC mode: compute cycles come from the whole layer's GEMM, so the SRAM sizes
/// (and the tiling they force) move only traffic and stalls, never the compute.
/// </summary>
[Properties(Arbitrary = [typeof(MemoryGenerators)], MaxTest = 60)]
public sealed class ScaleSimComputeProperties
{
    [Property]
    public void ScaleSimComputeCycles_DoNotDependOnBufferSizes(MemoryCase c, MemoryCase other, PositiveInt scale)
    {
        AcceleratorSpec spec = ScaleSim(c.Spec);
        long whole = FoldTimingModel.Evaluate(c.Layer, spec.Array, TimingModel.ScaleSim).ComputeCycles;

        // The same array with: its own buffers, another case's buffers, and the buffers scaled up to hold anything.
        int factor = 1 + (scale.Get % 4096);
        AcceleratorSpec[] variants =
        [
            spec,
            spec with { Memory = spec.Memory with { Buffers = other.Spec.Memory.Buffers } },
            spec with { Memory = spec.Memory with { Buffers = [.. spec.Memory.Buffers.Select(b => b with { CapacityBytes = b.CapacityBytes * factor })] } },
        ];
        foreach (AcceleratorSpec v in variants)
        {
            PerformanceOutcome outcome = PerformanceModel.Evaluate(v, [c.Layer], "m", 1);
            if (outcome.Result is { } result)
            {
                LayerResult layer = Assert.Single(result.Layers);
                Assert.Equal(whole, layer.ComputeCycles);
                Assert.True(layer.ComputeCycles + layer.StallCycles >= whole);
            }
        }
    }

    [Fact]
    public void GeneratedCases_TileUnderScaleSim_SoTheLawBites()
    {
        // Without tiling the law would hold trivially: the generated buffers must force several tiles in many cases, and
        // then the per-tile sum of SCALE-Sim's formula (the old behaviour) differs from the whole-layer count.
        var cases = MemoryGenerators.MemoryCases().Generator.Sample(150, new Rnd(20261207), 20);
        int tiled = 0, differs = 0;
        foreach (MemoryCase c in cases)
        {
            AcceleratorSpec spec = ScaleSim(c.Spec);
            MatrixLayerResult perTile = MatrixMemoryModel.Evaluate(c.Layer, spec, g => FoldTimingModel.GemmCycles(g, spec.Array, TimingModel.ScaleSim));
            if (perTile.Status == MappingStatus.Feasible && perTile.Mapping!.TileCount > 1)
            {
                tiled++;
                long whole = FoldTimingModel.Evaluate(c.Layer, spec.Array, TimingModel.ScaleSim).ComputeCycles;
                MatrixLayerResult spread = MatrixMemoryModel.Evaluate(c.Layer, spec, whole);
                Assert.Equal(whole, spread.ComputeCycles);
                // Both move the least bytes; which tiling of that traffic is fastest depends on the compute, so the
                // split between operands may differ.
                Assert.Equal(perTile.Dram.TotalBytes, spread.Dram.TotalBytes);
                differs += perTile.ComputeCycles != whole ? 1 : 0;
            }
        }

        Assert.True(tiled > 30, $"only {tiled} of 150 cases tiled");
        Assert.True(differs > 20, $"the per-tile formula differed from the whole layer's in only {differs} cases");
    }

    private static AcceleratorSpec ScaleSim(AcceleratorSpec spec) => spec with
    {
        Timing = TimingModel.ScaleSim,
        Array = spec.Array with { OperandTypes = [DataType.UInt8, DataType.Int8, DataType.Int4] },
    };
}
