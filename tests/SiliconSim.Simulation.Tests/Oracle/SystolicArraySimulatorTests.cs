using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Oracle;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Simulation.Tests.Oracle;

public sealed class SystolicArraySimulatorTests
{
    [Property(MaxTest = 150)]
    public void Run_EqualsTheReferenceGemm_AndTakesTheCorrectedFoldCycles(int seed)
    {
        GemmCase c = Generators.Gemm(seed);
        var sim = new SystolicArraySimulator(c.Rows, c.Cols, c.Dataflow, c.Latency);
        SystolicRunResult run = sim.Run(c.M, c.N, c.K, c.A, c.B);

        Assert.Equal(GemmReference.Int32(c.M, c.N, c.K, c.A, c.B), run.Output);
        var mapping = FoldMapping.Create(new GemmShape(c.M, c.N, c.K), c.Dataflow, c.Rows, c.Cols);
        Assert.Equal(FoldTimingModel.CorrectedCycles(mapping, c.Latency), run.Cycles);
        Assert.Equal(mapping.Folds, run.Folds);
    }

    [Property(MaxTest = 100)]
    public void MacCount_IsMNK_UnderEveryDataflow_AndCyclesAreAtLeastMacsOverPes(int seed)
    {
        GemmCase c = Generators.Gemm(seed);
        foreach (Dataflow df in Generators.Dataflows)
        {
            SystolicRunResult run = new SystolicArraySimulator(c.Rows, c.Cols, df).Run(c.M, c.N, c.K, c.A, c.B);
            long macs = (long)c.M * c.N * c.K;
            Assert.Equal(macs, run.Macs);
            long pes = c.Rows * c.Cols;
            Assert.True(run.Cycles >= (macs + pes - 1) / pes, $"{df}: {run.Cycles} cycles for {macs} MACs on {pes} PEs");
        }
    }

    [Property(MaxTest = 50)]
    public void Run_IsDeterministic_OnRepeatedRuns(int seed)
    {
        GemmCase c = Generators.Gemm(seed);
        var sim = new SystolicArraySimulator(c.Rows, c.Cols, c.Dataflow, c.Latency);
        SystolicRunResult first = sim.Run(c.M, c.N, c.K, c.A, c.B);
        SystolicRunResult second = sim.Run(c.M, c.N, c.K, c.A, c.B);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal((first.Cycles, first.Macs, first.Folds, first.PeUpdates), (second.Cycles, second.Macs, second.Folds, second.PeUpdates));
    }

    [Property(MaxTest = 150)]
    public void NarrowAccumulator_WrapsOrSaturatesAfterEveryMac_AsTheSequentialReference(int seed)
    {
        GemmCase c = Generators.Gemm(seed, maxDim: 12);
        var r = new Random(seed ^ 0x5EED);

        // Widths from 2 bits (overflows on almost every MAC) to 32; products of int8/uint8 reach 2^15.
        int bits = r.Next(4) == 0 ? r.Next(17, 33) : r.Next(2, 17);
        var policy = r.Next(2) == 0 ? AccumulatorOverflow.Wrap : AccumulatorOverflow.Saturate;
        var sim = new SystolicArraySimulator(c.Rows, c.Cols, c.Dataflow, c.Latency, bits, policy);
        SystolicRunResult run = sim.Run(c.M, c.N, c.K, c.A, c.B);
        Assert.Equal(GemmReference.Narrow(c.M, c.N, c.K, c.A, c.B, bits, policy == AccumulatorOverflow.Saturate), run.Output);
    }

    [Fact]
    public void Run_MatchesReferenceAndFoldModel_OnEveryArrayShapeUpTo8x8_AndEveryDataflow()
    {
        foreach ((int m, int n, int k) in new[] { (13, 11, 9), (1, 20, 3), (17, 2, 19) })
        {
            var rng = new Random(m * 1000 + n);
            int[] a = Generators.Values(rng, m * k, 0, 255), b = Generators.Values(rng, k * n, -128, 127);
            int[] expected = GemmReference.Int32(m, n, k, a, b);
            for (int rows = 1; rows <= 8; rows++)
            {
                for (int cols = 1; cols <= 8; cols++)
                {
                    foreach (Dataflow df in Generators.Dataflows)
                    {
                        SystolicRunResult run = new SystolicArraySimulator(rows, cols, df).Run(m, n, k, a, b);
                        Assert.Equal(expected, run.Output);
                        Assert.Equal(FoldTimingModel.CorrectedCycles(FoldMapping.Create(new GemmShape(m, n, k), df, rows, cols), 0), run.Cycles);
                    }
                }
            }
        }
    }

    // Hand-derived from the engine's documented model, 2x2 array, one fold (r = R = 2, c = C = 2, T = 2):
    // os: last MAC at PE(1,1) in cycle T-1+1+1 = 3, so 4 cycles; then R = 2 drain shifts: 6.
    // ws/is: 2 load cycles; last partial sum in PE(1,1) in stream cycle T-1+1+1 = 3, shifted out in cycle 4: 2 + 5 = 7.
    [Theory]
    [InlineData(Dataflow.OutputStationary, 0, 6)]
    [InlineData(Dataflow.WeightStationary, 0, 7)]
    [InlineData(Dataflow.InputStationary, 0, 7)]
    [InlineData(Dataflow.OutputStationary, 3, 9)]
    [InlineData(Dataflow.WeightStationary, 2, 9)]
    public void TwoByTwo_OneFold_TakesTheHandCountedCycles(Dataflow df, int latency, long cycles)
    {
        SystolicRunResult run = new SystolicArraySimulator(2, 2, df, latency).Run(2, 2, 2, [1, 2, 3, 4], [5, 6, 7, 8]);
        Assert.Equal([19, 22, 43, 50], run.Output);
        Assert.Equal(cycles, run.Cycles);
        Assert.Equal(8, run.Macs);
    }

    [Fact]
    public void Run_TensorOverload_WidensUInt8AndInt8()
    {
        var a = TensorValue.Create(DataType.UInt8, [1, 2], new byte[] { 255, 200 });
        var b = TensorValue.Create(DataType.Int8, [2, 1], new sbyte[] { -128, 127 });
        SystolicRunResult run = new SystolicArraySimulator(4, 4, Dataflow.WeightStationary).Run(a, b);
        Assert.Equal([(255 * -128) + (200 * 127)], run.Output);
    }

    [Fact]
    public void From_TakesTheSpecsAccumulator()
    {
        var spec = new ArraySpec
        {
            Rows = 2,
            Cols = 2,
            Dataflow = Dataflow.OutputStationary,
            OperandTypes = [DataType.UInt8, DataType.Int8],
            Numerics = new ArrayNumericsSpec { AccumulatorBits = 16, Overflow = AccumulatorOverflow.Saturate },
        };
        SystolicRunResult run = SystolicArraySimulator.From(spec).Run(1, 1, 2, [255, 255], [127, 127]);
        Assert.Equal([short.MaxValue], run.Output);
    }
}
