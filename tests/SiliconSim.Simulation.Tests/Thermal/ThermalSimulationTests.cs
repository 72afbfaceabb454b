using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Simulation.Tests.Thermal;

/// <summary>The driver: energy bookkeeping, throttling, hysteresis, rates and determinism.</summary>
public sealed class ThermalSimulationTests
{
    // The edge-npu preset's thermal section (configs/presets/edge-npu.yaml), written out because this project does not load YAML.
    private static readonly ThermalSpec s_edge = new()
    {
        LeakagePowerW = 0.05,
        LeakageReferenceC = 25,
        IdlePowerW = 0.02,
        DvfsSteps = [new(1000, 0.8), new(800, 0.72), new(600, 0.65), new(400, 0.6)],
    };

    // Three layers, 1 ms and 2.4 mJ per inference at 1 GHz / 0.8 V: 2.4 W while running.
    private static readonly InferencePowerTrace s_trace = InferencePowerTrace.FromLayers(
        [new("conv1", 300_000, 0.9e-3), new("conv2", 500_000, 1.2e-3), new("fc", 200_000, 0.3e-3)], clockMhz: 1000);

    // The whole-die leakage of the spec at the nominal 0.8 V, as LeakageModel.Of takes it from thermal.leakage_power_w.
    private static LeakageModel Leakage(ThermalSpec thermal) => new()
    {
        ReferencePowerW = thermal.LeakagePowerW!.Value,
        ReferenceJunctionC = thermal.LeakageReferenceCOrDefault,
        NominalVoltageV = 0.8,
        DoublingC = thermal.LeakageDoublingC,
        Source = "test",
    };

    private static ThermalRunResult Run(ThermalSpec thermal, double seconds, ThermalWorkload workload = ThermalWorkload.BackToBack, double rate = 0) =>
        ThermalSimulation.Run(thermal, Leakage(thermal), 1000, s_trace, new ThermalRunOptions { DurationS = seconds, Workload = workload, InferencesPerSecond = rate });

    [Fact]
    public void FromLayers_DurationIsCyclesOverClock()
    {
        Assert.Equal([0.3e-3, 0.5e-3, 0.2e-3], s_trace.Segments.Select(s => s.DurationS).ToArray());
        Assert.Equal(2.4e-3, s_trace.DynamicEnergyJ, 15);
    }

    [Fact]
    public void FromLayers_EnergyWithoutCycles_GoesToTheNextTimedLayerOrTheLast()
    {
        // An on-chip copy (no cycles, SRAM energy) before conv2 and another after fc: no energy is lost or invented.
        var trace = InferencePowerTrace.FromLayers(
            [new("conv1", 300_000, 0.9e-3), new("copy", 0, 0.1e-3), new("conv2", 500_000, 1.2e-3), new("fc", 200_000, 0.3e-3), new("tail", 0, 0.05e-3)], clockMhz: 1000);
        Assert.Equal([0.3e-3, 0.5e-3, 0.2e-3], trace.Segments.Select(s => s.DurationS).ToArray());
        Assert.Equal([0.9e-3, 1.3e-3, 0.35e-3], trace.Segments.Select(s => Math.Round(s.DynamicEnergyJ, 12)).ToArray());
    }

    [Fact]
    public void EnergyIn_EqualsStoredPlusAmbient()
    {
        ThermalRunResult r = Run(s_edge with { ThrottleC = 55, HysteresisC = 3 }, 20);
        double input = r.DynamicEnergyJ + r.LeakageEnergyJ;
        Assert.True(Math.Abs(input - r.StoredEnergyJ - r.AmbientEnergyJ) <= 1e-9 * input, $"in {input}, stored {r.StoredEnergyJ}, out {r.AmbientEnergyJ}");
    }

    [Fact]
    public void LowThreshold_BackToBack_ThrottlesAndSustainedRateDrops()
    {
        ThermalRunResult cool = Run(s_edge, 30);
        ThermalRunResult hot = Run(s_edge with { ThrottleC = 55, HysteresisC = 3 }, 30);

        Assert.True(cool.Status == ThermalRunStatus.Completed, $"{cool.Status} {cool.Reason} {cool.EndTimeS}");
        Assert.Empty(cool.ThrottleEvents);
        Assert.Equal(1000, cool.SustainedInferencesPerSecond, 6);
        Assert.True(hot.TimeToFirstThrottleS is not null, $"peak {hot.PeakJunctionC}, final {hot.FinalJunctionC}");
        Assert.True(hot.SustainedInferencesPerSecond < 0.9 * cool.SustainedInferencesPerSecond, $"{hot.SustainedInferencesPerSecond}");
        Assert.True(hot.PeakJunctionC < 57, $"peak {hot.PeakJunctionC}");
        Assert.Equal(ThermalRunStatus.Completed, hot.Status);
    }

    [Fact]
    public void Hysteresis_PreventsChattering()
    {
        ThermalRunResult none = Run(s_edge with { ThrottleC = 55, HysteresisC = 0 }, 30);
        ThermalRunResult some = Run(s_edge with { ThrottleC = 55, HysteresisC = 3 }, 30);
        double MinGap(ThermalRunResult r) => r.ThrottleEvents.Zip(r.ThrottleEvents.Skip(1), (a, b) => b.TimeS - a.TimeS).DefaultIfEmpty(double.PositiveInfinity).Min();

        Assert.True(some.ThrottleEvents.Length * 5 < none.ThrottleEvents.Length, $"{some.ThrottleEvents.Length} vs {none.ThrottleEvents.Length}");
        Assert.True(MinGap(some) > 5 * 0.010, $"min gap {MinGap(some)}");
    }

    [Fact]
    public void FixedRate_BelowCapacity_SustainsTheRate()
    {
        ThermalRunResult r = Run(s_edge, 10, ThermalWorkload.FixedRate, rate: 200);
        Assert.Equal(200, r.SustainedInferencesPerSecond, 1);
        Assert.Empty(r.ThrottleEvents);

        // Mean dynamic power 200 x 2.4 mJ + idle 0.02 W x 0.8 duty-free fraction.
        double mean = (200 * 2.4e-3) + (0.02 * (1 - (200 * 1e-3)));
        Assert.Equal(45 + (20 * (mean + r.NominalSteadyState.LeakagePowerW)), r.NominalSteadyState.JunctionC, 9);
    }

    [Fact]
    public void HugeLeakageCoefficient_RunStopsAsRunaway()
    {
        ThermalRunResult r = Run(s_edge with { LeakageDoublingC = 2, ThrottleC = 300, MaxJunctionC = 300, HysteresisC = 5 }, 2000);
        Assert.Equal(ThermalRunStatus.Runaway, r.Status);
        Assert.False(r.NominalSteadyState.Converged);
        Assert.True(r.EndTimeS < 2000);
    }

    [Fact]
    public void SameInputs_GiveIdenticalResults()
    {
        ThermalRunResult a = Run(s_edge with { ThrottleC = 55 }, 5);
        ThermalRunResult b = Run(s_edge with { ThrottleC = 55 }, 5);
        Assert.Equal(a.Samples.ToArray(), b.Samples.ToArray());
        Assert.Equal(a.ThrottleEvents.ToArray(), b.ThrottleEvents.ToArray());
        Assert.Equal(a.SustainedInferencesPerSecond, b.SustainedInferencesPerSecond);
    }
}
