using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Memory;
using static SiliconSim.Simulation.Tests.Memory.TestSpecs;

namespace SiliconSim.Simulation.Tests.Memory;

/// <summary>
/// Hand-computed cases. Unless a test says otherwise: DRAM 1 B/cycle (1 GB/s at 1000 MHz), 10-cycle latency, 16-byte
/// bursts; a 4 x 4 output-stationary array; compute = ceil(MACs / 16); int8 x int8 -> uint8 with int32 partial sums.
/// </summary>
public sealed class MatrixMemoryModelTests
{
    private static readonly BufferSpec s_bigUnified = Buffer("ub", BufferRole.Unified, 1 << 20, doubleBuffered: true);

    [Fact]
    public void Evaluate_LayerThatFitsEntirely_ReadsEachOperandOnceAndExposesFillAndDrain()
    {
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(4, 4, 8), Spec([s_bigUnified]), SixteenMacsPerCycle);

        Assert.Equal(MappingStatus.Feasible, r.Status);
        Assert.Equal((4L, 4L, 8L, 1L), (r.Mapping!.MTile, r.Mapping.NTile, r.Mapping.KTile, r.Mapping.TileCount));
        Assert.False(r.Mapping.OutputHoldsPartialSums);
        Assert.Equal((32L, 32L, 16L, 0L, 0L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes, r.Dram.PartialSumReadBytes, r.Dram.PartialSumWriteBytes));
        // Fill: 64 B in one transfer = 10 + 64 cycles; compute 128 MACs / 16 = 8; drain 16 B = 10 + 16.
        Assert.Equal(8, r.ComputeCycles);
        Assert.Equal(74 + 8 + 26, r.TotalCycles);
        Assert.Equal(0, r.PortStallCycles);
        Assert.Equal(100, r.DramStallCycles);
        Assert.Equal(128, r.Macs);
        BufferCounters ub = Assert.Single(r.Buffers);
        // Writes: 64 B of fills + 16 B of results from the array; reads: 32 + 32 B to the array (one fold) + 16 B drained.
        Assert.Equal((80L, 80L), (ub.ReadBytes, ub.WriteBytes));
        Assert.Equal((20L, 20L), (ub.ReadAccesses, ub.WriteAccesses));
        Assert.Equal([OperandKind.Input, OperandKind.Weight, OperandKind.Output], ub.Operands);
    }

    [Fact]
    public void Evaluate_BlockFormatActivations_MoveTheirScalesWithTheirTiles()
    {
        // 4 x 64 MXFP4 activations in, 4 x 32 out, 32-element blocks along a row: 4 rows x 2 blocks of 16 B codes + 1 B
        // E8M0 scale in (136 B), 4 rows x 1 block out (68 B). The weights' scales are a tensor of their own (not here).
        MatrixLayer plain = Gemm(4, 32, 64, input: DataType.Float4E2M1, weight: DataType.Float4E2M1, output: DataType.Float4E2M1);
        MatrixLayer mx = plain with { InputScales = BlockScales.Mx, OutputScales = BlockScales.Mx };
        MatrixLayerResult p = MatrixMemoryModel.Evaluate(plain, Spec([s_bigUnified], burstBytes: 1), SixteenMacsPerCycle);
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(mx, Spec([s_bigUnified], burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal((128L, 1024L, 64L), (p.Dram.InputReadBytes, p.Dram.WeightReadBytes, p.Dram.OutputWriteBytes));
        Assert.Equal((136L, 1024L, 68L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));

        // NVFP4: an E4M3 scale per 16 (4.5 bits an element): 4 rows x 4 blocks in (144 B), 4 x 2 out (72 B).
        MatrixLayer nv = plain with { InputScales = BlockScales.NvFp4, OutputScales = BlockScales.NvFp4 };
        MatrixLayerResult n = MatrixMemoryModel.Evaluate(nv, Spec([s_bigUnified], burstBytes: 1), SixteenMacsPerCycle);
        Assert.Equal((144L, 72L), (n.Dram.InputReadBytes, n.Dram.OutputWriteBytes));
    }

    [Fact]
    public void Network_TwoLayersDifferingOnlyInBlockScales_AreNotMappedAsOne()
    {
        // The network model reuses a mapping for layers with one signature; the scales are part of it. Two 4 x 32 x 64
        // fp4 GEMMs reading the same graph input, the second with MX weights: its weights move 64 x 32 / 2 codes and 32
        // lines x 2 blocks of E8M0 scales (1,024 + 64 B), the first's the codes alone.
        MatrixLayer plain = Gemm(4, 32, 64, input: DataType.Float4E2M1, weight: DataType.Float4E2M1, output: DataType.Float4E2M1) with
        {
            Reads = [new TensorUse("x", 128, TensorOrigin.GraphInput), new TensorUse("w0", 1024, TensorOrigin.Constant)],
            Writes = [new TensorUse("y0", 64, TensorOrigin.Activation, IsGraphOutput: true)],
            InputTensor = "x",
            WeightTensor = "w0",
        };
        MatrixLayer scaled = plain with
        {
            Name = "scaled",
            WeightScales = BlockScales.Mx,
            WeightBytes = 1088,
            Reads = [new TensorUse("x", 128, TensorOrigin.GraphInput), new TensorUse("w1", 1088, TensorOrigin.Constant)],
            Writes = [new TensorUse("y1", 64, TensorOrigin.Activation, IsGraphOutput: true)],
            WeightTensor = "w1",
        };
        AcceleratorSpec spec = Spec([s_bigUnified], burstBytes: 1);
        spec = spec with { Array = spec.Array with { OperandTypes = [DataType.Float4E2M1] } };
        PerformanceOutcome outcome = PerformanceModel.Evaluate(spec, [plain, scaled], "two", 1);
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems.Select(p => p.Message)));
        Assert.Equal([1024L, 1088L], outcome.Result!.Layers.Select(l => l.Dram.WeightReadBytes));
    }

    [Fact]
    public void Evaluate_KTooLongForTheBuffers_TilesKAndKeepsPartialSumsResident()
    {
        BufferSpec[] buffers =
        [
            Buffer("ib", BufferRole.Input, 64, bytesPerCycle: 16, ports: 1),
            Buffer("wb", BufferRole.Weight, 64, bytesPerCycle: 16, ports: 1),
            Buffer("ob", BufferRole.Output, 64, bytesPerCycle: 16, ports: 1),
        ];
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(4, 4, 64), Spec([.. buffers]), SixteenMacsPerCycle);

        // 4 x 16 input and 16 x 4 weight tiles fill 64 B each; 16 int32 partial sums fill the output buffer.
        Assert.Equal((4L, 4L, 16L, 4L), (r.Mapping!.MTile, r.Mapping.NTile, r.Mapping.KTile, r.Mapping.KTiles));
        Assert.True(r.Mapping.OutputHoldsPartialSums);
        Assert.Equal(64, r.Mapping.OutputTileBytes);
        Assert.Equal(OperandKind.Output, r.Mapping.Order.Reused);
        Assert.Equal((256L, 256L, 16L, 0L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes, r.Dram.PartialSumWriteBytes));
        // Nothing is double buffered: 4 x (load 10 + 128, compute 16) then the drain 10 + 16.
        Assert.Equal(64, r.ComputeCycles);
        Assert.Equal((4 * (138 + 16)) + 26, r.TotalCycles);
        BufferCounters ob = r.Buffers.Single(b => b.Name == "ob");
        // The array writes 64 B of partial sums per tile; tiles 2..4 first read the 64 B they add to; the drain reads 64 B.
        Assert.Equal((4L * 64, (3L * 64) + 64), (ob.WriteBytes, ob.ReadBytes));
    }

    [Fact]
    public void Evaluate_OutputBufferHoldsOnePartialSum_SpillsPartialSumsRatherThanRereadingTheInput()
    {
        // M = 1, K = 64, N = 16. Keeping each output resident over K re-reads the 64 B input for each of 16 N tiles
        // (2064 B); K outermost reads input and weights once and spills 3 x 16 partial sums of 4 B each way (1488 B).
        BufferSpec[] buffers = [Buffer("ib", BufferRole.Input, 16), Buffer("wb", BufferRole.Weight, 16), Buffer("ob", BufferRole.Output, 4)];
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(1, 16, 64), Spec([.. buffers], burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal((1L, 1L, 16L), (r.Mapping!.MTile, r.Mapping.NTile, r.Mapping.KTile));
        Assert.Equal(new LoopOrder(LoopDim.K, LoopDim.N, LoopDim.M), r.Mapping.Order);
        Assert.Equal((64L, 1024L, 16L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));
        Assert.Equal((192L, 192L), (r.Dram.PartialSumWriteBytes, r.Dram.PartialSumReadBytes));
        Assert.Equal(1488, r.Dram.TotalBytes);
    }

    [Fact]
    public void Evaluate_TwoRowsAndTinyOutputBuffer_KeepsTheInputResidentAcrossN()
    {
        // M = 2, N = 16, K = 64 in 1 x 1 x 16 tiles. Output-reuse re-reads the input per N tile (4128 B), weight-reuse
        // still re-reads it per N tile (3872 B); M>K>N reads the 128 B input once, the weights once per row (2048 B)
        // and spills 32 outputs x 3 x 4 B each way: 128 + 2048 + 32 + 768 = 2976 B.
        BufferSpec[] buffers = [Buffer("ib", BufferRole.Input, 16), Buffer("wb", BufferRole.Weight, 16), Buffer("ob", BufferRole.Output, 4)];
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(2, 16, 64), Spec([.. buffers], burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal(new LoopOrder(LoopDim.M, LoopDim.K, LoopDim.N), r.Mapping!.Order);
        Assert.Equal(OperandKind.Input, r.Mapping.Order.Reused);
        Assert.Equal((128L, 2048L, 32L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));
        Assert.Equal((384L, 384L), (r.Dram.PartialSumWriteBytes, r.Dram.PartialSumReadBytes));
    }

    [Fact]
    public void Evaluate_StarvedDram_IsMemoryBoundOnTheRoofline()
    {
        // 0.125 GB/s at 1000 MHz = 0.125 B/cycle: fill 10 + 512, drain 10 + 128.
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(4, 4, 8), Spec([s_bigUnified], bandwidthGBps: 0.125), SixteenMacsPerCycle);

        Assert.Equal(522 + 8 + 138, r.TotalCycles);
        Assert.Equal(660, r.StallCycles);
        RooflinePoint roof = r.Roofline!;
        Assert.Equal(256, roof.Ops);
        Assert.Equal(3.2, roof.OpsPerDramByte, 12);
        Assert.Equal(3.2e10, roof.PeakOpsPerSecond, 1);
        Assert.Equal(4e8, roof.MemoryRoofOpsPerSecond, 1);
        Assert.True(roof.IsMemoryBound);
        Assert.Equal(256 / 668e-9, roof.AttainedOpsPerSecond, 1);
        Assert.True(roof.AttainedOpsPerSecond <= roof.RoofOpsPerSecond);
    }

    [Theory]
    [InlineData(true, 42 + 64 + 64 + 26)]
    [InlineData(false, 42 + 64 + 26 + 26 + 64 + 26)]
    public void Evaluate_TwoTiles_OverlapTransfersOnlyWhenDoubleBuffered(bool doubleBuffered, long expectedCycles)
    {
        // M = 8 in two tiles of 4 rows (16 B input tiles). Compute = MACs = 64 cycles per tile.
        // Double buffered: fill 10 + 32 | max(64, next input 10 + 16) | max(64, first output 10 + 16) | drain 10 + 16.
        // Serial: fill 42, compute, write 26, load 26, compute, write 26.
        long inputCapacity = doubleBuffered ? 32 : 16;
        BufferSpec[] buffers =
        [
            Buffer("ib", BufferRole.Input, inputCapacity, doubleBuffered),
            Buffer("wb", BufferRole.Weight, 1024, doubleBuffered),
            Buffer("ob", BufferRole.Output, 1024, doubleBuffered),
        ];
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(8, 4, 4), Spec([.. buffers]), s => s.Macs);

        Assert.Equal((4L, 2L), (r.Mapping!.MTile, r.Mapping.TileCount));
        Assert.Equal(128, r.ComputeCycles);
        Assert.Equal(expectedCycles, r.TotalCycles);
    }

    [Fact]
    public void Evaluate_BufferPortsSlowerThanTheArray_CountsPortStalls()
    {
        // 80 B cross the unified buffer's single 4 B/cycle port in the tile: 20 cycles instead of 8.
        BufferSpec narrow = Buffer("ub", BufferRole.Unified, 1 << 20, doubleBuffered: true, bytesPerCycle: 4, ports: 1);
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(4, 4, 8), Spec([narrow]), SixteenMacsPerCycle);

        Assert.Equal(8, r.ComputeCycles);
        Assert.Equal(12, r.PortStallCycles);
        Assert.Equal(74 + 20 + 26, r.TotalCycles);
    }

    [Fact]
    public void Evaluate_PaddedConvThatFits_ReadsTheRealInputOnceButFeedsTheArrayTheExpandedOperand()
    {
        // 1 x 1 x 4 x 4 input, 3 x 3 kernel, pad 1: M = 16 pixels, K = 9. DRAM reads the 16 B tensor, not 16 x 9.
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Conv(Conv4x4Pad1()), Spec(SplitBuffers(1024), burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal((16L, 9L, 16L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));
        BufferCounters ib = r.Buffers.Single(b => b.Name == "ib");
        Assert.Equal((144L, 16L), (ib.ReadBytes, ib.WriteBytes));
        // Output stationary on 4 x 4: the 9 x 1 weight column is re-read for each of the 4 row folds.
        Assert.Equal(36, r.Buffers.Single(b => b.Name == "wb").ReadBytes);
    }

    [Fact]
    public void Evaluate_PaddedConvInTwoRowBands_RefetchesTheHalo()
    {
        // 12 B input tiles: bands of 2 output rows read 3 input rows x 4 (rows 0-2, then 1-3): 24 B instead of 16.
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Conv(Conv4x4Pad1()), Spec(SplitBuffers(12), burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal((1, 2L, 2L, 8L), (r.Mapping!.MSlabAxis, r.Mapping.MSlabExtent, r.Mapping.MTiles, r.Mapping.MTile));
        Assert.Equal(12, r.Mapping.InputTileBytes);
        Assert.Equal((24L, 9L, 16L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));
        Assert.Equal(16 * 9, r.Macs);
    }

    [Fact]
    public void Evaluate_InputBufferBelowOneWindow_IsInfeasibleNamingTheBuffer()
    {
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Conv(Conv4x4Pad1()), Spec(SplitBuffers(8), burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal(MappingStatus.Infeasible, r.Status);
        Assert.Equal("ib", r.BufferName);
        Assert.Contains("'ib'", r.Reason, StringComparison.Ordinal);
        Assert.Contains("input 9 B", r.Reason, StringComparison.Ordinal);
        Assert.Null(r.Mapping);
        Assert.Equal(0, r.TotalCycles);
    }

    [Fact]
    public void Evaluate_NoBufferForOutputs_IsInfeasibleNamingTheOperand()
    {
        BufferSpec[] buffers = [Buffer("ib", BufferRole.Input, 1024), Buffer("wb", BufferRole.Weight, 1024)];
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Gemm(4, 4, 4), Spec([.. buffers]), SixteenMacsPerCycle);

        Assert.Equal(MappingStatus.Infeasible, r.Status);
        Assert.Contains("output", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DepthwiseConv_TilesAcrossGroups()
    {
        // 8 groups of 1 channel: each group's weights are 9 B, its input 16 B. All groups fit in one tile.
        ConvGeometry dw = ConvGeometry.Resolve([1, 8, 4, 4], 8, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", 8);
        MatrixLayerResult r = MatrixMemoryModel.Evaluate(Conv(dw), Spec(SplitBuffers(1024), burstBytes: 1), SixteenMacsPerCycle);

        Assert.Equal((8, 1L), (r.Mapping!.GroupsPerTile, r.Mapping.TileCount));
        Assert.Equal((128L, 72L, 128L), (r.Dram.InputReadBytes, r.Dram.WeightReadBytes, r.Dram.OutputWriteBytes));
        Assert.Equal(8 * 16 * 9, r.Macs);
    }

    [Fact]
    public void Evaluate_ConvGeometryDisagreeingWithTheGemm_Throws()
    {
        MatrixLayer bad = Conv(Conv4x4Pad1()) with { Gemm = new GemmShape(16, 1, 8) };
        Assert.Throws<ArgumentException>(() => MatrixMemoryModel.Evaluate(bad, Spec([s_bigUnified]), SixteenMacsPerCycle));
    }

    private static ConvGeometry Conv4x4Pad1() => ConvGeometry.Resolve([1, 1, 4, 4], 1, [3, 3], null, null, [1, 1, 1, 1], "NOTSET", 1);

    private static System.Collections.Immutable.ImmutableArray<BufferSpec> SplitBuffers(long inputCapacity) =>
        [Buffer("ib", BufferRole.Input, inputCapacity), Buffer("wb", BufferRole.Weight, 1024), Buffer("ob", BufferRole.Output, 1024)];
}
