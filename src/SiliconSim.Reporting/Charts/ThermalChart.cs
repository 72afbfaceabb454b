using ScottPlot;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// Power (left axis, W) and junction temperature (right axis, °C) over time, the junction limit as a dashed line on
/// the temperature axis and each throttle event as a vertical line.
/// </summary>
public static class ThermalChart
{
    public const string Title = "Power and junction temperature";

    public static Plot Build(ThermalTrace data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.PowerWatts.Count != data.TimeSeconds.Count || data.JunctionCelsius.Count != data.TimeSeconds.Count)
        {
            throw new ArgumentException("time, power and temperature samples must have equal counts", nameof(data));
        }

        var plot = new Plot();
        double[] t = [.. data.TimeSeconds.Select(s => s * 1e3)];
        var power = plot.Add.ScatterLine(t, data.PowerWatts.ToArray());
        power.LegendText = "power";
        power.Color = ChartStyle.Series(0);
        power.LineWidth = 2;

        var temperature = plot.Add.ScatterLine(t, data.JunctionCelsius.ToArray());
        temperature.LegendText = "junction temperature";
        temperature.Color = ChartStyle.Series(3);
        temperature.LineWidth = 2;
        temperature.Axes.YAxis = plot.Axes.Right;

        var limit = plot.Add.HorizontalLine(data.LimitCelsius, 2, ChartStyle.Series(3), LinePattern.Dashed);
        limit.Axes.YAxis = plot.Axes.Right;
        limit.LegendText = $"junction limit ({data.LimitCelsius:0.#} °C)";

        for (int i = 0; i < data.Throttles.Count; i++)
        {
            var line = plot.Add.VerticalLine(data.Throttles[i].TimeSeconds * 1e3, 1.5f, ChartStyle.Series(1), LinePattern.Dotted);
            line.LegendText = i == 0 ? "throttle event" : string.Empty;
            line.Text = data.Throttles[i].Reason;
            line.LabelFontSize = 10;
        }

        plot.Title(Title);
        plot.XLabel("Time (ms)");
        plot.YLabel("Power (W)");
        plot.Axes.Right.Label.Text = "Junction temperature (°C)";
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
