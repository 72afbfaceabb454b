using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Simulation.Tests.Plan;

/// <summary>
/// Why a network-plan law is skipped: each names the smallest counterexample the properties found (shrunk by FsCheck and
/// by hand), pinned as a test in <see cref="PlanCounterexampleTests"/>. Un-skip the law and its example together.
/// </summary>
internal static class Counterexamples
{
    /// <summary>
    /// Why "a larger buffer never adds cycles" holds only among plans moving the same DRAM bytes: the plan's first
    /// objective is DRAM traffic, and a larger buffer can offer a plan that moves fewer bytes but takes longer (staging
    /// a layer's input and output whole: one transfer each instead of burst-rounded tile pieces, but exposed rather than
    /// overlapped with compute). A M=3 N=7 K=2 gemm on a 16 B weight and 19 B double-buffered output buffer: with a 42 B
    /// input buffer 136 B and 277 cycles; with every buffer doubled, 112 B and 281 cycles
    /// (<see cref="PlanCounterexampleTests.LargerBuffer_TradesCyclesForBytes"/>).
    /// </summary>
    public const string BytesForCycles = "a larger buffer may trade cycles for fewer DRAM bytes";
}

/// <summary>
/// The smallest counterexamples to the network-plan laws, one per cause (<see cref="Counterexamples"/>). Each states the
/// law on its case; a law still broken is skipped with its example.
/// </summary>
public sealed class PlanCounterexampleTests
{
    /// <summary>x0 uint8 [1,1,1,2] -> Conv 1x1 stride 2 (w0 1 B) -> t0 [1,1,1,1] graph output; the buffer holds everything.</summary>
    [Fact]
    public void StridedConvOverAGraphInput()
    {
        var c = Case(new NetworkRecipe(1, 1, 1, 2, false, false, 0, [new Step(StepKind.Conv, 0, 0, 3, 0)]), Unified(1024));
        SimulationResult r = Run(c);
        Assert.True(NetworkPlanProperties.NetworkDram(r) >= r.Plan.LowerBoundDramBytes, $"network DRAM {NetworkPlanProperties.NetworkDram(r)} B < lower bound {r.Plan.LowerBoundDramBytes} B\n{NetworkPlanProperties.Split(r)}");
    }

    /// <summary>x0 uint8 [1,1,1,1] -> Relu -> t0 (graph output); MaxPool(x0) -> t1 (graph output); 1 KiB holds everything.</summary>
    [Fact]
    public void GraphInputWithTwoReaders()
    {
        var c = Case(new NetworkRecipe(1, 1, 1, 1, false, false, 0, [new Step(StepKind.Unary, 0, 0, 0, 0), new Step(StepKind.Pool, 1, 0, 0, 0)]), Unified(1024));
        SimulationResult r = Run(c);
        Assert.True(NetworkPlanProperties.NetworkDram(r) == r.Plan.LowerBoundDramBytes, $"network DRAM {NetworkPlanProperties.NetworkDram(r)} B != lower bound {r.Plan.LowerBoundDramBytes} B\n{NetworkPlanProperties.Split(r)}");
    }

    /// <summary>x0 uint8 [1,1,1,1] -> Flatten (a view of x0) -> MaxPool -> t0 (graph output); 1 KiB holds everything.</summary>
    [Fact]
    public void ViewOfAGraphInput()
    {
        var c = Case(new NetworkRecipe(1, 1, 1, 1, false, false, 0, [new Step(StepKind.View, 0, 0, 0, 0), new Step(StepKind.Pool, 0, 0, 0, 0)]), Unified(1024));
        SimulationResult r = Run(c);
        Assert.True(NetworkPlanProperties.NetworkDram(r) == r.Plan.LowerBoundDramBytes, $"network DRAM {NetworkPlanProperties.NetworkDram(r)} B != lower bound {r.Plan.LowerBoundDramBytes} B\n{NetworkPlanProperties.Split(r)}");
    }

    /// <summary>The digits MLP (QOperator u8s8): Flatten of the float input, then QuantizeLinear reads it; every edge-npu buffer 64 MiB.</summary>
    [Fact]
    public void DigitsMlp_FlattenOfTheInput()
    {
        AcceleratorSpec spec = RealModels.Spec("edge-npu");
        spec = spec with { Memory = spec.Memory with { Buffers = [.. spec.Memory.Buffers.Select(b => b with { CapacityBytes = 64L << 20 })] } };
        var prepared = RealModels.Prepare("digits/digits_mlp_qop_u8s8_tensor", spec, 1);
        SimulationResult r = PerformanceModel.Evaluate(spec, prepared.Layers, "digits_mlp", prepared.Batch, prepared.OperandTypes).Result!;
        Assert.True(NetworkPlanProperties.NetworkDram(r) == r.Plan.LowerBoundDramBytes, $"network DRAM {NetworkPlanProperties.NetworkDram(r)} B != lower bound {r.Plan.LowerBoundDramBytes} B\n{NetworkPlanProperties.Split(r)}");
    }

    /// <summary>
    /// x0 uint8 [2,4,5,3] (120 B) -> Relu -> t0 (120 B) -> Gemm M=40 N=1 K=3 (w1 3 B) -> t1 (40 B, graph output); a unified
    /// buffer of 62 B, then 124 B; burst 32.
    /// </summary>
    [Fact]
    public void KeptInputStarvesTheTiles()
    {
        var c = Case(new NetworkRecipe(2, 4, 5, 3, false, false, 0, [new Step(StepKind.Unary, 0, 0, 0, 0), new Step(StepKind.Linear, 0, 0, 0, 0)]), Unified(62, burst: 32, gbps: 0.5));
        AssertNoMoreDram(c, c.Memory.WithCapacities(v => 2 * v));
    }

    /// <summary>
    /// x0 uint8 [1,4,2,5] (40 B) -> Relu -> t0 (40 B) -> Conv 1x1 4->1 (w1 4 B) -> t1 (10 B) -> Gemm K=5 N=1 (w2 5 B) -> t2
    /// (2 B, graph output); weights resident; a unified buffer of 24 B, then 48 B; burst 1. With 48 B the plan keeps t0,
    /// the conv cannot fit beside it and its kept output, spills t1 and then t0, and does not keep t1 again once t0 left.
    /// </summary>
    [Fact]
    public void LastResortSpill_DoesNotReadmitTheKeptOutput()
    {
        var c = Case(
            new NetworkRecipe(1, 4, 2, 5, false, false, 0, [new Step(StepKind.Unary, 0, 0, 0, 0), new Step(StepKind.Conv, 0, 0, 0, 0), new Step(StepKind.Linear, 0, 0, 0, 0)]),
            Unified(24, weights: WeightPlacement.Resident, gbps: 16));
        AssertNoMoreDram(c, c.Memory.WithCapacities(v => 2 * v));
    }

    /// <summary>
    /// x0 uint8 [2,4,2,5] (80 B) -> Gemm M=16 N=3 K=5 (w0 15 B) -> t0 (48 B) -> Conv 1x1 stride 2 (w1 4 B) -> t1 (4 B,
    /// graph output); a unified buffer of 33 B, then 66 B; burst 1, 16 GB/s. With 66 B t0 fits, but keeping it leaves the
    /// gemm 18 B of tiles and it reads its input twice (183 B against 167); spilling t0 costs only the 16 B the strided
    /// conv reads back (its 48 B write is the tiles', counted in their traffic), which the plan used to price as a
    /// second write plus the whole 48 B.
    /// </summary>
    [Fact]
    public void SpillPricedByWhatAStridedReaderReadsBack()
    {
        var memory = Unified(33, gbps: 16);
        var c = Case(new NetworkRecipe(2, 4, 2, 5, false, false, 0, [new Step(StepKind.Linear, 0, 2, 0, 0), new Step(StepKind.Conv, 0, 0, 3, 0)]), memory);
        AssertNoMoreDram(c, c.Memory.WithCapacities(v => 2 * v));
    }

    /// <summary>
    /// x0 uint8 [2,2,6,1] (24 B) -> Gemm M=24 N=6 K=1 -> t0 (144 B) -> Conv 2x2 stride 2 (int4 weights) -> t1 (54 B,
    /// graph output); weights resident, a unified 94 B buffer, then 188 B; WS 2x2, burst 1, 16 GB/s. With 188 B the
    /// gemm keeps t0 on chip (no 144 B write), which leaves its tiles 2 B (96 -> 576 compute cycles); the conv then finds
    /// t0 starving its own tiles and spills it (the 144 B write after all) to stream it back. Same 366 B, 485 -> 841
    /// cycles, until the plan learned to re-plan a producer whose kept output left unread.
    /// </summary>
    [Fact]
    public void KeptOutputSpilledByItsReader_CostsCyclesForNoBytes()
    {
        var memory = new MemoryRecipe(true, [94, 94, 94], [false, false, false], WeightPlacement.Resident, EpilogueFusion.None, ExecutionSchedule.LayerByLayer, 1, 16, 0, 2, 2, Dataflow.WeightStationary);
        var c = Case(new NetworkRecipe(2, 2, 6, 1, false, false, 0, [new Step(StepKind.Linear, 0, 5, 0, 8), new Step(StepKind.Conv, 0, 2, 4, 2)]), memory);
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, memory.WithCapacities(v => 2 * v).ToSpec(), c.Batch)!;
        Assert.True(
            big.TotalCycles <= small.TotalCycles || NetworkPlanProperties.NetworkDram(big) < NetworkPlanProperties.NetworkDram(small),
            $"{small.TotalCycles} -> {big.TotalCycles} cycles, {NetworkPlanProperties.NetworkDram(small)} -> {NetworkPlanProperties.NetworkDram(big)} B");
    }

    /// <summary>
    /// x0 uint8 [2,1,1,1] -> Conv 1x1 (w0 2 B) -> t0 (4 B) -> Conv 2x2 stride 2 pad 1 (w1 8 B) -> t1 (2 B, graph output);
    /// schedule depth_first, weights streamed, a unified 16 B buffer, then 32 B; OS 2x2, burst 1, 16 GB/s. With 32 B the
    /// two convs' weights fit half the buffer and form a stack: t0 lives in a 2 B line buffer instead of whole, which
    /// saves no byte (14 B either way) but shrinks both layers' tiles, 19 -> 32 cycles. A stack now stays only if the
    /// network moves fewer bytes with it, or as many in fewer cycles.
    /// </summary>
    [Fact]
    public void DepthFirstStack_ThatSavesNoBytes_IsNotFormed()
    {
        var memory = new MemoryRecipe(true, [16, 16, 16], [false, false, false], WeightPlacement.Stream, EpilogueFusion.ElementwiseAndPooling, ExecutionSchedule.DepthFirst, 1, 16, 0, 2, 2, Dataflow.OutputStationary);
        var c = Case(new NetworkRecipe(2, 1, 1, 1, false, false, 0, [new Step(StepKind.Conv, 0, 1, 0, 0), new Step(StepKind.Conv, 0, 0, 10, 0)]), memory);
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, memory.WithCapacities(v => 2 * v).ToSpec(), c.Batch)!;
        Assert.True(
            big.TotalCycles <= small.TotalCycles || NetworkPlanProperties.NetworkDram(big) < NetworkPlanProperties.NetworkDram(small),
            $"{small.TotalCycles} -> {big.TotalCycles} cycles, {NetworkPlanProperties.NetworkDram(small)} -> {NetworkPlanProperties.NetworkDram(big)} B");
        Assert.Equal((0, 1), (big.Plan.DepthFirstStacks, big.Plan.DepthFirstStacksDeclined));
        Assert.StartsWith("no stack: the 1 possible saved no DRAM bytes", big.Plan.DepthFirstText, StringComparison.Ordinal);
    }

    /// <summary>
    /// x0 uint8 [1,1,1,2] (2 B) read by two strided 1x1 convs, each touching the same 1 B of it (w0, w1 1 B each; t0, t1
    /// 1 B, graph outputs); a unified buffer with room for everything. The lower bound counts the touched byte once (5 B);
    /// the plan admitted all of x0 for the second reader (6 B). It now loads only the pixels the convs' windows touch.
    /// </summary>
    [Fact]
    public void InputSharedByStridedConvs_AdmitsOnlyTheTouchedPixels()
    {
        var memory = new MemoryRecipe(true, [26, 26, 26], [false, false, false], WeightPlacement.Stream, EpilogueFusion.None, ExecutionSchedule.LayerByLayer, 1, 2, 0, 2, 2, Dataflow.OutputStationary);
        var c = Case(new NetworkRecipe(1, 1, 1, 2, false, false, 0, [new Step(StepKind.Conv, 0, 0, 3, 0), new Step(StepKind.Conv, 1, 0, 3, 0)]), memory);
        SimulationResult r = Run(c);
        Assert.True(NetworkPlanProperties.NetworkDram(r) == r.Plan.LowerBoundDramBytes, $"network DRAM {NetworkPlanProperties.NetworkDram(r)} B != lower bound {r.Plan.LowerBoundDramBytes} B\n{NetworkPlanProperties.Split(r)}");
    }

    /// <summary>
    /// x0 uint8 [1,1,2,1] -> Gemm M=2 N=5 K=1 (w0 5 B) -> t0 (10 B, graph output); a double-buffered unified buffer of
    /// 16 B, then 32 B: the same 17 bytes either way, and the larger buffer's fewer, larger tiles used to expose more of
    /// the first fill and last drain (17 -> 28 cycles); among tilings with the least bytes the fastest now wins.
    /// </summary>
    [Fact]
    public void LargerBuffer_SameBytes_NoMoreCycles()
    {
        var c = Case(new NetworkRecipe(1, 1, 2, 1, false, false, 0, [new Step(StepKind.Linear, 0, 4, 0, 0)]), Unified(16, db: true));
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, c.Memory.WithCapacities(v => 2 * v).ToSpec(), c.Batch)!;
        Assert.True(big.TotalCycles <= small.TotalCycles, $"16 B -> 32 B: {small.TotalCycles} -> {big.TotalCycles} cycles (DRAM {NetworkPlanProperties.NetworkDram(small)} -> {NetworkPlanProperties.NetworkDram(big)} B)");
    }

    /// <summary>
    /// x0 uint8 [1,1,3,2] -> Gemm M=3 N=7 K=2 (w0 14 B) -> t0 int32 (84 B, graph output); input, weight and double-buffered
    /// output buffers of 42, 16 and 19 B, then each doubled; burst 8, 0.5 GB/s: the larger buffers stage the output and
    /// move fewer bytes, exposing the final write. The plan may spend those cycles only because it saves bytes.
    /// </summary>
    [Fact]
    public void LargerBuffer_TradesCyclesForBytes()
    {
        var memory = new MemoryRecipe(false, [42, 16, 19], [false, false, true], WeightPlacement.Stream, EpilogueFusion.None, ExecutionSchedule.LayerByLayer, 8, 0.5, 0, 2, 2, Dataflow.OutputStationary);
        var c = Case(new NetworkRecipe(1, 1, 3, 2, false, false, 0, [new Step(StepKind.Linear, 0, 6, 0, 4)]), memory);
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, memory.WithCapacities(v => 2 * v).ToSpec(), c.Batch)!;
        long smallDram = NetworkPlanProperties.NetworkDram(small), bigDram = NetworkPlanProperties.NetworkDram(big);
        Assert.True(bigDram < smallDram, $"doubling the buffers should save DRAM bytes: {smallDram} -> {bigDram} B");
        Assert.True(big.TotalCycles <= small.TotalCycles || bigDram < smallDram, $"{small.TotalCycles} -> {big.TotalCycles} cycles without saving bytes");
    }

    /// <summary>
    /// x0 uint8 [1,1,3,1] -> Relu -> t0; MatMul t0 x x0 (3x1 by 1x3) -> t1 int32 -> QuantizeLinear -> DequantizeLinear
    /// (graph output), both in the matmul's epilogue; input, weight and output buffers of 16 B, then 32 B; 8x4 OS array,
    /// 2 GB/s, 100 ns. With 32 B the matmul's larger tiles save 10 cycles (33 -> 23), and each of the two epilogue ops
    /// hid under the whole producer, so each showed those 10 cycles: 293 -> 303 cycles for the same 49 B. The chain now
    /// shares the producer's time (a CI-style random seed met it).
    /// </summary>
    [Fact]
    public void EpilogueChain_SharesItsProducersTime()
    {
        var memory = new MemoryRecipe(false, [16, 16, 16], [false, false, false], WeightPlacement.Stream, EpilogueFusion.Elementwise, ExecutionSchedule.LayerByLayer, 1, 2, 100, 8, 4, Dataflow.OutputStationary);
        var c = Case(new NetworkRecipe(1, 1, 3, 1, false, false, 0, [new Step(StepKind.Add, 0, 0, 0, 0), new Step(StepKind.MatMul, 0, 0, 0, 4), new Step(StepKind.Requantize, 0, 0, 0, 0), new Step(StepKind.Requantize, 0, 0, 0, 0)]), memory);
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, memory.WithCapacities(v => 2 * v).ToSpec(), c.Batch)!;
        Assert.Equal(2, small.Layers.Count(l => l.FusedInto is not null));
        Assert.True(
            big.TotalCycles <= small.TotalCycles || NetworkPlanProperties.NetworkDram(big) < NetworkPlanProperties.NetworkDram(small),
            $"{small.TotalCycles} -> {big.TotalCycles} cycles, {NetworkPlanProperties.NetworkDram(small)} -> {NetworkPlanProperties.NetworkDram(big)} B\n{NetworkPlanProperties.Split(small)}\n{NetworkPlanProperties.Split(big)}");
    }

    /// <summary>x0 uint8 [1,3,3,1] -> Relu -> t0 (9 B, kept) -> Flatten; a unified buffer of 16 B.</summary>
    [Fact]
    public void VectorOccupancy_CountsAKeptOutputOnce()
    {
        var c = Case(new NetworkRecipe(1, 3, 3, 1, false, false, 0, [new Step(StepKind.Unary, 0, 0, 0, 0), new Step(StepKind.View, 0, 0, 0, 0)]), Unified(16));
        SimulationResult r = Run(c);
        Assert.Equal(9, r.Layers[0].Occupancy.ResidentActivationBytes);
    }

    private static NetworkCase Case(NetworkRecipe network, MemoryRecipe memory) => new(network, memory);

    private static MemoryRecipe Unified(long capacity, bool db = false, WeightPlacement weights = WeightPlacement.Stream, int burst = 1, double gbps = 2) =>
        new(true, [capacity, capacity, capacity], [db, db, db], weights, EpilogueFusion.None, ExecutionSchedule.LayerByLayer, burst, gbps, 0, 2, 2, Dataflow.OutputStationary);

    private static SimulationResult Run(NetworkCase c) => NetworkPlanProperties.Run(c.Layers, c.Spec, c.Batch) ?? throw new InvalidOperationException("infeasible");

    private static void AssertNoMoreDram(NetworkCase c, MemoryRecipe larger)
    {
        SimulationResult small = Run(c), big = NetworkPlanProperties.Run(c.Layers, larger.ToSpec(), c.Batch)!;
        Assert.True(
            NetworkPlanProperties.NetworkDram(big) <= NetworkPlanProperties.NetworkDram(small),
            $"{c.Memory.Capacities[0]} B -> {larger.Capacities[0]} B: network DRAM {NetworkPlanProperties.NetworkDram(small)} -> {NetworkPlanProperties.NetworkDram(big)} B\nbefore:\n{NetworkPlanProperties.Split(small)}\nafter:\n{NetworkPlanProperties.Split(big)}");
    }
}
