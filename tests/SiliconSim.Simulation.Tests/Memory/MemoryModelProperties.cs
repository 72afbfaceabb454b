using System.Collections.Immutable;
using FsCheck;
using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;
using static SiliconSim.Simulation.Tests.Memory.TestSpecs;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>Laws of the memory model over generated small layers and memory specs.</summary>
[Properties(Arbitrary = [typeof(MemoryGenerators)], MaxTest = 75)]
public sealed class MemoryModelProperties
{
    [Property]
    public void MoreDramBandwidth_NeverAddsCycles(MemoryCase c, PositiveInt factor)
    {
        DramSpec dram = c.Spec.Memory.Dram;
        AcceleratorSpec faster = WithDram(c.Spec, dram with { BandwidthGBps = dram.BandwidthGBps * (1 + ((factor.Get % 8) / 2.0)) });
        MatrixLayerResult slow = Run(c.Layer, c.Spec), fast = Run(c.Layer, faster);

        Assert.Equal(slow.Status, fast.Status);
        Assert.True(fast.TotalCycles <= slow.TotalCycles, $"{fast.TotalCycles} > {slow.TotalCycles}");

        // The tilings tied on bytes do not depend on bandwidth; which of them is fastest does, so only the total is fixed.
        Assert.Equal(slow.Dram.TotalBytes, fast.Dram.TotalBytes);
    }

    [Property]
    public void LowerDramLatency_NeverAddsCycles(MemoryCase c, NonNegativeInt cut)
    {
        DramSpec dram = c.Spec.Memory.Dram;
        AcceleratorSpec quicker = WithDram(c.Spec, dram with { LatencyNs = dram.LatencyNs * ((cut.Get % 5) / 5.0) });
        MatrixLayerResult slow = Run(c.Layer, c.Spec), quick = Run(c.Layer, quicker);

        Assert.True(quick.TotalCycles <= slow.TotalCycles, $"{quick.TotalCycles} > {slow.TotalCycles}");
    }

    [Property]
    public void LargerBuffer_NeverAddsDramTraffic(MemoryCase c, NonNegativeInt which, PositiveInt extra)
    {
        ImmutableArray<BufferSpec> buffers = c.Spec.Memory.Buffers;
        int i = which.Get % buffers.Length;
        AcceleratorSpec larger = c.Spec with
        {
            Memory = c.Spec.Memory with { Buffers = buffers.SetItem(i, buffers[i] with { CapacityBytes = buffers[i].CapacityBytes + (extra.Get % 4096) }) },
        };
        MatrixLayerResult small = Run(c.Layer, c.Spec), large = Run(c.Layer, larger);
        if (small.Status == MappingStatus.Feasible)
        {
            Assert.Equal(MappingStatus.Feasible, large.Status);
            Assert.True(large.Dram.TotalBytes <= small.Dram.TotalBytes, $"{large.Dram.TotalBytes} > {small.Dram.TotalBytes}");
        }
    }

    [Property]
    public void MacCount_IsTheLayersUnderEveryTiling(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            Assert.Equal(c.Layer.Groups * c.Layer.Gemm.M * c.Layer.Gemm.N * c.Layer.Gemm.K, r.Macs);
            Assert.Equal(2 * r.Macs, r.Roofline!.Ops);
        }
    }

    [Property]
    public void DramTraffic_CoversEachOperandsCompulsoryBytes(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            int burst = c.Spec.Memory.Dram.BurstBytes;
            Assert.True(r.Dram.InputReadBytes >= MemoryOracle.Burst(MemoryOracle.CompulsoryInputBytes(c.Layer), burst));
            Assert.True(r.Dram.WeightReadBytes >= MemoryOracle.Burst(MemoryOracle.CompulsoryWeightBytes(c.Layer), burst));
            Assert.True(r.Dram.OutputWriteBytes >= MemoryOracle.Burst(MemoryOracle.CompulsoryOutputBytes(c.Layer), burst));
        }
    }

    [Property]
    public void DramTraffic_IsCompulsory_WhenEverythingFits(MemoryCase c)
    {
        var huge = c.Spec.Memory.Buffers.Select(b => b with { CapacityBytes = 1L << 30 }).ToImmutableArray();
        AcceleratorSpec roomy = c.Spec with { Memory = c.Spec.Memory with { Buffers = huge } };
        MatrixLayerResult r = Run(c.Layer, roomy);
        int burst = c.Spec.Memory.Dram.BurstBytes;

        // Any number of tiles may move exactly the compulsory bytes; several can be faster than one, since double
        // buffering hides all but the first fill, so the tile count is the fastest tiling's, not necessarily 1.
        Assert.Equal(MemoryOracle.Burst(MemoryOracle.CompulsoryInputBytes(c.Layer), burst), r.Dram.InputReadBytes);

        Assert.Equal(MemoryOracle.Burst(MemoryOracle.CompulsoryWeightBytes(c.Layer), burst), r.Dram.WeightReadBytes);
        Assert.Equal(MemoryOracle.Burst(MemoryOracle.CompulsoryOutputBytes(c.Layer), burst), r.Dram.OutputWriteBytes);
        Assert.Equal((0L, 0L), (r.Dram.PartialSumReadBytes, r.Dram.PartialSumWriteBytes));
    }

    [Property]
    public void InputTraffic_EqualsTheTappedElementsOfEachFetchedTile(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            Assert.Equal(MemoryOracle.InputTraffic(c.Layer, r.Mapping!, c.Spec.Memory.Dram.BurstBytes), r.Dram.InputReadBytes);
        }
    }

    [Property]
    public void TileWalk_MatchesTheSearchsClosedFormTraffic(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            var geo = new LayerGeometry(c.Layer, c.Spec.Array.Numerics.AccumulatorBits);
            BufferAssignment buffers = BufferAssignment.Resolve(c.Spec.Memory.Buffers, out _)!;
            List<TileChoice> ties = TileSearch.DramOptimal(geo, buffers, c.Spec.Array, c.Spec.Memory.Dram.BurstBytes, OperandPlacement.Alone);
            Assert.All(ties, t => Assert.Equal(ties[0].DramBytes, t.DramBytes));
            Assert.Equal(ties[0].DramBytes, r.Dram.TotalBytes);
            Assert.Contains(ties, t => t.TileCount == r.Mapping!.TileCount && t.NTile == r.Mapping.NTile && t.Order == r.Mapping.Order);
        }
    }

    [Property]
    public void Mapping_IsTheFastestOfTheTilingsWithTheLeastTraffic(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            var geo = new LayerGeometry(c.Layer, c.Spec.Array.Numerics.AccumulatorBits);
            BufferAssignment buffers = BufferAssignment.Resolve(c.Spec.Memory.Buffers, out _)!;
            foreach (TileChoice t in TileSearch.DramOptimal(geo, buffers, c.Spec.Array, c.Spec.Memory.Dram.BurstBytes, OperandPlacement.Alone))
            {
                long cycles = new TileWalker(geo, t, buffers, c.Spec, SixteenMacsPerCycle).Run("x").TotalCycles;
                Assert.True(r.TotalCycles <= cycles, $"chosen {r.TotalCycles} cycles, but a tiling with the same {t.DramBytes} B takes {cycles}");
            }
        }
    }

    [Property]
    public void TileWalk_MatchesTheClosedForm_UnderEveryLoopOrder(MemoryCase c)
    {
        var geo = new LayerGeometry(c.Layer, c.Spec.Array.Numerics.AccumulatorBits);
        BufferAssignment? buffers = BufferAssignment.Resolve(c.Spec.Memory.Buffers, out _);
        TileChoice? chosen = TileSearch.Find(geo, buffers!, c.Spec.Array, c.Spec.Memory.Dram.BurstBytes);
        if (chosen is not { } best)
        {
            return;
        }

        for (int o = 0; o < LoopOrder.All.Length; o++)
        {
            TileChoice other = best with { OrderIndex = o };
            MatrixLayerResult walked = new TileWalker(geo, other, buffers!, c.Spec, SixteenMacsPerCycle).Run("x");
            long closedForm = TileSearch.Traffic(geo, other, c.Spec.Memory.Dram.BurstBytes);
            Assert.Equal(closedForm, walked.Dram.TotalBytes);
            Assert.True(closedForm >= best.DramBytes, $"{LoopOrder.All[o]} moves {closedForm} B, fewer than the chosen {best.DramBytes} B");
            Assert.Equal(c.Layer.Macs, walked.Macs);
        }
    }

    [Property]
    public void PartialSums_SpilledAreReadBack_AndOnlyWhenKIsTiled(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            Assert.Equal(r.Dram.PartialSumWriteBytes, r.Dram.PartialSumReadBytes);
            if (r.Mapping!.KTiles == 1 || r.Mapping.Order.Reused == OperandKind.Output)
            {
                Assert.Equal(0, r.Dram.PartialSumWriteBytes);
            }
        }
    }

    [Property]
    public void TotalCycles_AreAtLeastComputeAndDramTime(MemoryCase c)
    {
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Feasible)
        {
            double bytesPerCycle = c.Spec.Memory.Dram.BandwidthGBps * 1000 / c.Spec.ClockMhz;
            Assert.True(r.TotalCycles >= r.ComputeCycles + r.PortStallCycles);
            Assert.True(r.DramStallCycles >= 0 && r.PortStallCycles >= 0);
            Assert.True(r.TotalCycles >= r.Dram.TotalBytes / bytesPerCycle, $"{r.TotalCycles} < {r.Dram.TotalBytes / bytesPerCycle}");
            // Time >= bytes / bandwidth, so no layer beats its memory roof.
            Assert.True(r.Roofline!.AttainedOpsPerSecond <= r.Roofline.MemoryRoofOpsPerSecond * (1 + 1e-9));
        }
    }

    [Property]
    public void Evaluate_IsDeterministic(MemoryCase c)
    {
        MatrixLayerResult a = Run(c.Layer, c.Spec), b = Run(c.Layer, c.Spec);
        Assert.Equal(a with { Buffers = [] }, b with { Buffers = [] });
        Assert.Equal(Describe(a.Buffers), Describe(b.Buffers));
    }

    [Property(MaxTest = 200)]
    public void Infeasible_NamesABufferOfTheSpec(MemoryCase generated)
    {
        // Buffers of 1..24 bytes: many layers cannot fit even their smallest tile.
        var tiny = generated.Spec.Memory.Buffers.Select(b => b with { CapacityBytes = (b.CapacityBytes % 24) + 1 }).ToImmutableArray();
        MemoryCase c = generated with { Spec = generated.Spec with { Memory = generated.Spec.Memory with { Buffers = tiny } } };
        MatrixLayerResult r = Run(c.Layer, c.Spec);
        if (r.Status == MappingStatus.Infeasible)
        {
            Assert.Contains(c.Spec.Memory.Buffers, b => b.Name == r.BufferName);
            Assert.Contains($"'{r.BufferName}'", r.Reason, StringComparison.Ordinal);
            Assert.Null(r.Mapping);
        }
        else
        {
            Assert.True(r.Mapping!.InputTileBytes + r.Mapping.WeightTileBytes + r.Mapping.OutputTileBytes > 0);
        }
    }

    private static MatrixLayerResult Run(MatrixLayer layer, AcceleratorSpec spec) => MatrixMemoryModel.Evaluate(layer, spec, SixteenMacsPerCycle);

    private static AcceleratorSpec WithDram(AcceleratorSpec spec, DramSpec dram) => spec with { Memory = spec.Memory with { Dram = dram } };

    private static string Describe(ImmutableArray<BufferCounters> buffers) =>
        string.Join("|", buffers.Select(b => $"{b.Name} {string.Join(',', b.Operands)} {b.ReadBytes} {b.WriteBytes} {b.ReadAccesses} {b.WriteAccesses}"));
}
