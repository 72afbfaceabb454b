using System.Globalization;
using ScottPlot;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Thermal;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Power (left axis, W) and junction temperature (right axis, °C) over time, the throttle threshold and the maximum
/// junction temperature (when known) as dashed lines on the temperature axis and each DVFS step change as a vertical
/// line labelled with the new clock.
/// </summary>
public static class ThermalChart
{
    public const string Title = "Power and junction temperature";

    /// <summary>
    /// At most this many points per series. A 600 s run sampled every control period has 60,000 samples, and the
    /// per-sample power jitters with how many inferences each period happens to hold; drawn raw that is a solid band
    /// wider than the trend. Averaging over bins of equal sample count keeps the energy of each bin.
    /// </summary>
    public const int MaxPoints = 1200;

    /// <summary>Runs longer than this are plotted in seconds, shorter ones in milliseconds.</summary>
    private const double SecondsAxisFromS = 10;

    /// <summary>True when the thermal model ran (the result has both the trace and its summary).</summary>
    public static bool Applies(RunResult run) => run is { Thermal: not null, ThermalSummary: not null };

    /// <exception cref="ArgumentException">the thermal model did not run.</exception>
    public static Plot Build(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Thermal is not { } thermal || run.ThermalSummary is not { } summary)
        {
            throw new ArgumentException("the run has no thermal result", nameof(run));
        }

        var samples = thermal.Samples;
        double span = samples.IsEmpty ? 0 : samples[^1].TimeS - samples[0].TimeS;
        bool seconds = span > SecondsAxisFromS;
        double scale = seconds ? 1 : 1e3;
        var (t, powerW, junctionC) = Bin(samples);
        double limitC = summary.ThrottleC;
        double? maxJunctionC = double.IsFinite(summary.MaxJunctionC) ? summary.MaxJunctionC : null;

        var plot = new Plot();
        double[] x = [.. t.Select(s => s * scale)];
        var power = plot.Add.ScatterLine(x, powerW);
        power.LegendText = "power";
        power.Color = ChartStyle.Series(0);
        power.LineWidth = 2;

        var temperature = plot.Add.ScatterLine(x, junctionC);
        temperature.LegendText = "junction temperature";
        temperature.Color = ChartStyle.Series(3);
        temperature.LineWidth = 2;
        temperature.Axes.YAxis = plot.Axes.Right;

        var limit = plot.Add.HorizontalLine(limitC, 1.5f, ChartStyle.Series(1), LinePattern.Dashed);
        limit.Axes.YAxis = plot.Axes.Right;
        limit.LegendText = $"throttle threshold ({limitC:0.#} °C)";

        if (maxJunctionC is double max)
        {
            var ceiling = plot.Add.HorizontalLine(max, 1.5f, ChartStyle.Series(3), LinePattern.Dashed);
            ceiling.Axes.YAxis = plot.Axes.Right;
            ceiling.LegendText = $"max junction ({max:0.#} °C)";
        }

        // Every event gets its line, but a label only when it clears the previous one, so a governor toggling around
        // the threshold does not print a pile of overlapping labels.
        double lastLabelled = double.NegativeInfinity;
        var events = summary.ThrottleEvents;
        for (int i = 0; i < events.Length; i++)
        {
            double at = events[i].TimeS * scale;
            var line = plot.Add.VerticalLine(at, 1.5f, ChartStyle.Series(1), LinePattern.Dotted);
            line.LegendText = i == 0 ? "throttle event" : string.Empty;
            if (at - lastLabelled >= span * scale * 0.12)
            {
                line.Text = Label(events[i]);
                line.LabelFontSize = 11;
                lastLabelled = at;
            }
        }

        double top = Math.Max(powerW.DefaultIfEmpty(0).Max(), 1e-9) * 1.15;
        plot.Axes.SetLimitsY(0, top, plot.Axes.Left);
        double[] marks = [limitC, .. maxJunctionC is double m ? [m] : Array.Empty<double>(), .. junctionC.Where(double.IsFinite)];
        double low = marks.Min(), high = marks.Max(), pad = Math.Max(1, (high - low) * 0.08);
        plot.Axes.SetLimitsY(low - pad, high + pad, plot.Axes.Right);

        plot.Title(Title);
        plot.XLabel(seconds ? "Time (s)" : "Time (ms)");
        plot.YLabel("Power (W)");
        plot.Axes.Right.Label.Text = "Junction temperature (°C)";

        // Below the plot area, where it cannot hide a curve whatever shape the run takes.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>"throttle to 800 MHz" or "recover to 1000 MHz".</summary>
    internal static string Label(DvfsChange change) =>
        string.Create(CultureInfo.InvariantCulture, $"{(change.Throttle ? "throttle" : "recover")} to {change.ToMhz:0.#} MHz");

    private static (double[] Time, double[] Power, double[] Junction) Bin(IReadOnlyList<ThermalSample> samples)
    {
        int n = samples.Count;
        if (n <= MaxPoints)
        {
            return ([.. samples.Select(s => s.TimeS)], [.. samples.Select(s => s.PowerW)], [.. samples.Select(s => s.JunctionC)]);
        }

        int per = (int)Math.Ceiling(n / (double)MaxPoints);
        int bins = (n + per - 1) / per;
        var time = new double[bins];
        var power = new double[bins];
        var junction = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            int from = b * per, to = Math.Min(n, from + per);
            double sumP = 0, sumT = 0;
            for (int i = from; i < to; i++)
            {
                sumP += samples[i].PowerW;
                sumT += samples[i].JunctionC;
            }

            time[b] = samples[to - 1].TimeS;
            power[b] = sumP / (to - from);
            junction[b] = sumT / (to - from);
        }

        return (time, power, junction);
    }
}
