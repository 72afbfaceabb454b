using BenchmarkDotNet.Attributes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Oracle;

namespace SiliconSim.Benchmarks;

/// <summary>
/// The cycle-stepped engine on a 32 x 32 array: one 128 x 128 x 128 GEMM (2.1 M MACs, 16 folds) with seeded int8/uint8
/// operands. PE updates per second = <see cref="SystolicRunResult.PeUpdates"/> of one run / the mean time; the run's count
/// is printed by <see cref="Setup"/> so the rate can be read off BenchmarkDotNet's Mean.
/// </summary>
[MemoryDiagnoser]
public class SystolicArraySimulatorBenchmark
{
    private const int Size = 128;
    private int[] _a = null!;
    private int[] _b = null!;
    private SystolicArraySimulator _sim = null!;

    [Params(Dataflow.OutputStationary, Dataflow.WeightStationary, Dataflow.InputStationary)]
    public Dataflow Dataflow { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(20_260_101);
        _a = Enumerable.Range(0, Size * Size).Select(_ => r.Next(0, 256)).ToArray();
        _b = Enumerable.Range(0, Size * Size).Select(_ => r.Next(-128, 128)).ToArray();
        _sim = new SystolicArraySimulator(32, 32, Dataflow);
        SystolicRunResult run = _sim.Run(Size, Size, Size, _a, _b);
        Console.WriteLine($"// {Dataflow}: {run.PeUpdates:N0} PE updates, {run.Cycles:N0} cycles, {run.Macs:N0} MACs per run");
    }

    [Benchmark(Description = "128^3 GEMM, 32x32 stepped")]
    public long Run() => _sim.Run(Size, Size, Size, _a, _b).PeUpdates;
}
