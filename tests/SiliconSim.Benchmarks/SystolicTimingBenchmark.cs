using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Benchmarks;

/// <summary>
/// The fold-level timing engine on ResNet-18 at 224 x 224 (workloads/scalesim/resnet18_224.csv: 21 matrix layers,
/// 1.81 GMAC) on a 32 x 32 and a 128 x 128 array, both cycle models. Run by hand:
/// <c>dotnet run -c Release --project tests/SiliconSim.Benchmarks -- --filter *SystolicTiming*</c>.
/// </summary>
[MemoryDiagnoser]
public class SystolicTimingBenchmark
{
    private ImmutableArray<MatrixLayer> _layers;
    private ArraySpec _array = null!;

    [Params(32, 128)]
    public int ArraySize { get; set; }

    [Params(Dataflow.OutputStationary, Dataflow.WeightStationary)]
    public Dataflow Dataflow { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string file = Path.Combine(ScaleSimWorkloads.Folder, "resnet18_224.csv");
        _layers = ScaleSimTopologyReader.Parse(File.ReadAllText(file), file);
        _array = new ArraySpec
        {
            Rows = ArraySize,
            Cols = ArraySize,
            Dataflow = Dataflow,
            OperandTypes = [DataType.UInt8, DataType.Int8],
            Numerics = new ArrayNumericsSpec(),
        };
    }

    [Benchmark(Baseline = true, Description = "ResNet-18, ScaleSim model")]
    public long ScaleSim() => Total(TimingModel.ScaleSim);

    [Benchmark(Description = "ResNet-18, Corrected model")]
    public long Corrected() => Total(TimingModel.Corrected);

    private long Total(TimingModel model)
    {
        long cycles = 0;
        foreach (MatrixLayer layer in _layers)
        {
            cycles += FoldTimingModel.Evaluate(layer, _array, model).ComputeCycles;
        }

        return cycles;
    }
}
