using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using SiliconSim.Config;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Timing;

namespace SiliconSim.Benchmarks;

/// <summary>
/// The full per-layer pipeline (<see cref="PerformanceModel.Evaluate"/>: tile search, traffic, double-buffered DRAM
/// timing around the fold-level array model) on ResNet-18 at 224 x 224 (workloads/scalesim/resnet18_224.csv) on the
/// edge-npu preset resized to 32 x 32 and 128 x 128, beside fold-level timing alone as the baseline ratio. Run by hand:
/// <c>dotnet run -c Release --project tests/SiliconSim.Benchmarks -- --filter *PerformanceModel* --job short</c>, or
/// <c>-- --bench</c> for a quick timing with the process's peak working set.
/// </summary>
[MemoryDiagnoser]
public class PerformanceModelBenchmark
{
    private ImmutableArray<LayerWork> _layers;
    private AcceleratorSpec _spec = null!;

    [Params(32, 128)]
    public int ArraySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_layers, _spec) = Load(ArraySize);
    }

    [Benchmark(Baseline = true, Description = "ResNet-18, fold-level timing only")]
    public long FoldLevel() => FoldLevelCycles(_layers, _spec);

    [Benchmark(Description = "ResNet-18, PerformanceModel (tiling + memory)")]
    public long Pipeline() => PerformanceModel.Evaluate(_spec, _layers, "resnet18_224", 1).Result!.TotalCycles;

    public static (ImmutableArray<LayerWork> Layers, AcceleratorSpec Spec) Load(int arraySize)
    {
        string file = Path.Combine(ScaleSimWorkloads.Folder, "resnet18_224.csv");
        ImmutableArray<LayerWork> layers = [.. ScaleSimTopologyReader.Parse(File.ReadAllText(file), file).Cast<LayerWork>()];
        string preset = Path.Combine(ScaleSimWorkloads.Folder, "..", "..", "configs", "presets", "edge-npu.yaml");
        AcceleratorSpec spec = ConfigLoader.LoadFile(preset).SpecOrThrow();
        return (layers, spec with { Array = spec.Array with { Rows = arraySize, Cols = arraySize } });
    }

    public static long FoldLevelCycles(ImmutableArray<LayerWork> layers, AcceleratorSpec spec)
    {
        long cycles = 0;
        foreach (MatrixLayer layer in layers.OfType<MatrixLayer>())
        {
            cycles += FoldTimingModel.Evaluate(layer, spec.Array, spec.Timing).ComputeCycles;
        }

        return cycles;
    }
}
