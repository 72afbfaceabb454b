using SiliconSim.Cli.Io;
using SiliconSim.Cli.Sweeps;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Thermal;
using SiliconSim.Simulation.Energy;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Tests;

/// <summary>
/// Issue 14, item 6: one leakage model. The energy a run reports is priced at the junction temperature the thermal
/// model says back-to-back runs reach, so the run's on-die energy over its duration (energy per inference x inferences
/// per second, less the DRAM device's share, which heats the DRAM and not the die) is exactly the power the thermal
/// model dissipates at that temperature, leakage and always-on idle power included.
/// </summary>
/// <remarks>
/// The two sides are computed apart: the energy from the energy table's pricing of every layer; the dissipation from
/// the thermal run's own steady state (its power trace and Newton solve) as the heat leaving through the
/// junction-to-ambient resistance, (T_j - T_amb) / R_ja. Tolerance 1e-9 relative: both are sums of the same few dozen
/// per-layer numbers in different orders, and the Newton solve stops at 1e-15 relative, so rounding stays near 1e-14;
/// any modelling difference (a term left out, a second leakage figure, another temperature) is above 1e-3 here, since
/// leakage alone is more than a tenth of the die's power on these runs.
/// </remarks>
public sealed class LeakageConsistencyTests
{
    private const double Tolerance = 1e-9;

    private static RunResult Run(string preset, string target, Func<AcceleratorSpec, AcceleratorSpec>? change = null)
    {
        HardwareConfig config = HardwareConfig.Load(preset);
        AcceleratorSpec spec = change?.Invoke(config.Spec) ?? config.Spec;

        LoadedWorkload workload = WorkloadFiles.Load(Path.Combine(Repository.Root, target));

        // The steady state does not depend on how long the transient runs; one second keeps the test quick.
        RunOutcome outcome = SimulationPipeline.Evaluate(new SweepModel(workload, string.Empty).For(spec), spec, config.EnergyTable, new EvaluationOptions { ThermalSeconds = 1 });
        Assert.True(outcome.Success, string.Join("; ", outcome.Problems));
        return outcome.Result!;
    }

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData("edge-npu", "workloads/digits/digits_cnn_qdq_u8s8_tensor")]
    [InlineData("tpu-v1", "workloads/digits/digits_cnn_qdq_u8s8_tensor")]
    [InlineData("edge-npu", "workloads/zoo/transformer_encoder_qop_u8s8_tensor")]
    public void EnergyOfBackToBackInference_IsThePowerTheThermalModelDissipatesAtItsJunctionTemperature(string preset, string target)
    {
        RunResult r = Run(preset, target);
        LeakagePricing leakage = r.Energy.Leakage!;
        ThermalSteadyState steady = r.Thermal!.NominalSteadyState;
        Assert.True(steady.Converged, steady.Reason);
        Assert.Equal(LeakageTemperatureBasis.SteadyState, leakage.Basis);
        Close(steady.JunctionC, leakage.JunctionC, "the temperature leakage was priced at");

        var thermal = HardwareConfig.Load(preset).Spec.Thermal;
        double dieEnergyPerInferenceJ = r.EnergyPerInferenceJ - (r.Energy.Total.DramJ / r.Batch);
        double dissipatedW = (steady.JunctionC - thermal.AmbientC) / thermal.JunctionToAmbientKPerW;
        Close(dissipatedW, dieEnergyPerInferenceJ * r.Performance.InferencesPerSecond, "on-die energy per inference x inferences/s");
        Close(steady.LeakagePowerW, r.Energy.Total.LeakageJ / r.Performance.LatencySeconds, "leakage energy over the run's time");
    }

    [Fact]
    public void IdlePower_IsPartOfTheEnergyOfEveryCycle()
    {
        // edge-npu's thermal.idle_power_w is 0.02 W: it is drawn for the whole run, so the equality above includes it.
        RunResult r = Run("edge-npu", "workloads/digits/digits_cnn_qdq_u8s8_tensor");
        Close(0.02 * r.Performance.LatencySeconds, r.Energy.Total.IdleJ, "idle energy of one run");
    }

    [Fact]
    public void WithoutASteadyState_LeakageIsPricedAtTheMaximumJunctionTemperature()
    {
        // tpu-v1 on the default fanless 20 K/W package (not its own 0.8 K/W server one) cannot shed ResNet-18's watts
        // once its 24 MiB of SRAM leaks as the table says.
        RunResult r = Run("tpu-v1", "workloads/scalesim/resnet18_224.csv", s => s with { Thermal = new ThermalSpec() });
        LeakagePricing leakage = r.Energy.Leakage!;
        Assert.False(r.Thermal!.NominalSteadyState.Converged);
        Assert.Equal(LeakageTemperatureBasis.MaxJunction, leakage.Basis);
        Assert.Equal(105, leakage.JunctionC);
        Close(leakage.Model.PowerW(105), r.Energy.Total.LeakageJ / r.Performance.LatencySeconds, "leakage power");
    }
}
