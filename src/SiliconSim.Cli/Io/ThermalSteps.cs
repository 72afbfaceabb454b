using System.Globalization;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Cli.Io;

/// <summary>
/// The bound on the thermal model's work, checked before a run: it steps once per control period, keeping every
/// sample, so the step count is duration / <c>thermal.control_period_ms</c>.
/// </summary>
internal static class ThermalSteps
{
    /// <summary>
    /// The most control steps a run may take: measured at about 6 s and 160 MB per million steps (edge-npu, digits
    /// CNN), so a million is the ceiling of an interactive run. The presets' 10 ms period allows 10,000 s, five hours
    /// of thermal time constants more than the default 600 s needs.
    /// </summary>
    public const long MaxSteps = 1_000_000;

    /// <summary>Checks a duration given by <paramref name="option"/> (0 turns thermal off).</summary>
    /// <exception cref="UserInputException">the duration is negative or not finite, or takes more than <see cref="MaxSteps"/> steps.</exception>
    public static void Check(double seconds, AcceleratorSpec spec, string option)
    {
        CheckDuration(seconds, option);
        double steps = Math.Ceiling(seconds / (spec.Thermal.ControlPeriodMs * 1e-3));
        if (seconds > 0 && !(steps <= MaxSteps))
        {
            throw new UserInputException(option, $"{F(seconds)} s at thermal.control_period_ms {F(spec.Thermal.ControlPeriodMs)} is {F(steps)} control steps, more than the {MaxSteps:N0} allowed; lower {option} or raise thermal.control_period_ms");
        }
    }

    /// <summary>A duration must be a finite number of seconds, at least 0.</summary>
    /// <exception cref="UserInputException">it is negative, NaN or infinite.</exception>
    public static void CheckDuration(double seconds, string option)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            throw new UserInputException(option, $"must be a finite number of seconds >= 0 (0 turns the thermal model off), got {F(seconds)}");
        }
    }

    private static string F(double x) => x.ToString(Math.Abs(x) is >= 1e7 and < double.PositiveInfinity ? "0.###e0" : "G6", CultureInfo.InvariantCulture);
}
