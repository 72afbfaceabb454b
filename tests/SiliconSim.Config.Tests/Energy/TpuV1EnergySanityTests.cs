using SiliconSim.Config.Energy;
using SiliconSim.Config.Topology;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Layers;
using Xunit.Abstractions;

namespace SiliconSim.Config.Tests.Energy;

/// <summary>
/// A sanity check, not a pinned number: TPUv1 (configs/presets/tpu-v1.yaml) running SCALE-Sim's ResNet-18 topology,
/// priced with the default table scaled to 28 nm. Jouppi et al. (ISCA 2017) give 92 TOPS peak and about 40 W busy,
/// i.e. about 2.3 TOPS/W at full use; the model's energy per op should be within a factor of a few of that.
/// </summary>
public sealed class TpuV1EnergySanityTests(ITestOutputHelper output)
{
    [Fact]
    public void TpuV1_ResNet18_TopsPerWatt_IsNearThePublishedFigure()
    {
        AcceleratorSpec spec = PresetCatalog.Load("tpu-v1").SpecOrThrow();
        EnergyTableSpec table = EnergyTableLoader.Load(spec.EnergyTable).TableOrThrow();
        string csv = Path.Combine(Path.GetDirectoryName(PresetCatalog.FindDirectory()!)!, "..", "workloads", "scalesim", "resnet18_224.csv");
        var layers = ScaleSimTopologyReader.Parse(File.ReadAllText(csv), "resnet18_224.csv");
        var outcome = PerformanceModel.Evaluate(spec, [.. layers.Cast<LayerWork>()], "resnet18", 1);
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems));
        var result = outcome.Result!;
        EnergyReport report = EnergyAccounting.Evaluate(result, spec, table);
        EnergyBreakdown e = report.Total;

        double opsPerJoule = 2.0 * result.Macs / e.TotalJ;
        double computeOnly = 2.0 * result.Macs / (e.MacJ + e.AccumulatorJ + e.RegistersJ + e.SramJ + e.OverheadJ + e.LeakageJ);
        double averageWatts = e.TotalJ / result.LatencySeconds;
        output.WriteLine($"scale factor 45nm/0.9V -> {spec.TechnologyNodeNm}nm/{spec.SupplyVoltageV}V: {table.ScaleFactor(spec.TechnologyNodeNm, spec.SupplyVoltageV):F3}");
        output.WriteLine($"MACs {result.Macs:N0}, cycles {result.TotalCycles:N0}, latency {result.LatencySeconds * 1e3:F3} ms, utilization {result.Macs / ((double)result.PeCount * result.TotalCycles):P1}");
        output.WriteLine($"energy/inference {e.TotalJ * 1e3:F3} mJ: MAC {e.MacJ * 1e3:F3}, acc {e.AccumulatorJ * 1e3:F3}, reg {e.RegistersJ * 1e3:F3}, SRAM {e.SramJ * 1e3:F3}, DRAM {e.DramJ * 1e3:F3}, vector {e.VectorJ * 1e3:F3}, leak {e.LeakageJ * 1e3:F3}, overhead {e.OverheadJ * 1e3:F3}");
        output.WriteLine($"DRAM bytes {result.Layers.Sum(l => l.DramReadBytes + l.DramWriteBytes):N0}; SRAM accesses {result.Layers.Sum(l => l.Buffers.Sum(b => b.ReadAccesses + b.WriteAccesses)):N0}");
        output.WriteLine($"TOPS/W incl. DRAM {opsPerJoule / 1e12:F2}; chip only (no DRAM) {computeOnly / 1e12:F2}; average power {averageWatts:F1} W; published ~2.3 (92 TOPS / 40 W)");
        Assert.InRange(opsPerJoule / 1e12, 2.3 / 4, 2.3 * 4);
    }
}
