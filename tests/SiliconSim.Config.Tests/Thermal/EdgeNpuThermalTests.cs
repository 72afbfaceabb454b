using SiliconSim.Config;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Config.Tests.Thermal;

/// <summary>The edge-npu preset's thermal section loads and drives the thermal simulation.</summary>
public sealed class EdgeNpuThermalTests
{
    private static readonly InferencePowerTrace s_trace = InferencePowerTrace.FromLayers(
        [new("conv1", 300_000, 0.9e-3), new("conv2", 500_000, 1.2e-3), new("fc", 200_000, 0.3e-3)], clockMhz: 1000);

    [Fact]
    public void EdgeNpu_ThermalSection_HasTheStatedValues()
    {
        ThermalSpec t = PresetCatalog.Load("edge-npu").SpecOrThrow().Thermal;
        Assert.Equal(20, t.JunctionToAmbientKPerW);
        Assert.Equal(45, t.AmbientC);
        Assert.Equal([1000.0, 800, 600, 400], t.DvfsSteps.Select(s => s.FrequencyMhz).ToArray());
    }

    [Fact]
    public void EdgeNpu_LowThreshold_ThrottlesUnderBackToBackInference()
    {
        AcceleratorSpec spec = PresetCatalog.Load("edge-npu").SpecOrThrow();
        AcceleratorSpec low = spec with { Thermal = spec.Thermal with { ThrottleC = 55, HysteresisC = 3 } };
        var options = new ThermalRunOptions { DurationS = 20 };
        LeakageModel leakage = LeakageModel.Of(EnergyTableLoader.Load(spec.EnergyTable).TableOrThrow(), spec);
        ThermalRunResult nominal = ThermalSimulation.Run(spec, leakage, s_trace, options);
        ThermalRunResult throttled = ThermalSimulation.Run(low, leakage, s_trace, options);
        Assert.Empty(nominal.ThrottleEvents);
        Assert.NotNull(throttled.TimeToFirstThrottleS);
        Assert.True(throttled.SustainedInferencesPerSecond < nominal.SustainedInferencesPerSecond);
    }

    [Fact]
    public void ThermalSection_BadValues_AreDiagnosedWithPaths()
    {
        const string Yaml = """
            clock_mhz: 1000
            array: { rows: 4, cols: 4 }
            memory:
              buffers: [{ name: ub, role: unified, capacity_kib: 64, bytes_per_cycle: 4 }]
              dram: { bandwidth_gbps: 10 }
            thermal:
              throttle_c: 120
              dvfs_steps:
                - { frequency_mhz: 500, voltage_v: 0.7 }
                - { frequency_mhz: 800, voltage_v: 0.8 }
            """;
        ConfigLoadResult r = ConfigLoader.LoadText(Yaml);
        string[] paths = [.. r.Diagnostics.Select(d => d.Path)];
        Assert.Contains("thermal.throttle_c", paths);
        Assert.Contains("thermal.dvfs_steps[1].frequency_mhz", paths);
        Assert.Contains("thermal.dvfs_steps[1].voltage_v", paths);
    }
}
