using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SiliconSim.Reporting.Charts;
using SiliconSim.Reporting.Html;

namespace SiliconSim.Reporting.Sweeps;

/// <summary>
/// A sweep's tables from its rows, in point order whatever the thread count or interruptions: <c>results.csv</c>
/// (every point: dropped ones with their reason, unfinished ones as pending), <c>pareto.csv</c> (per model, the points
/// no other dominates in latency and <see cref="SweepMetrics.ParetoMetric"/>), the Pareto chart and <c>report.html</c>.
/// </summary>
public static class SweepTables
{
    private static readonly char[] s_csvSpecial = [',', '"', '\n', '\r'];

    private static readonly string[] s_headline = ["latency_s", "inferences_per_second", "utilization", "energy_j", "tops_per_w", "peak_junction_c", "throttled", "sustained_inferences_per_s"];

    /// <summary>Writes the tables into <paramref name="outDir"/>.</summary>
    /// <param name="axes">The axis paths, in axis order (the rows' values follow it).</param>
    /// <param name="colorBy">The axis that colours the Pareto chart; null: the first axis, or the point index without axes.</param>
    /// <param name="front">The two metrics of pareto.csv (a search's objectives); null: latency_s and <see cref="SweepMetrics.ParetoMetric"/>.</param>
    public static void Write(string outDir, ImmutableArray<string> axes, IReadOnlyList<SweepRow> rows, string? colorBy, (string X, string Y)? front = null)
    {
        var (x, y) = front ?? ("latency_s", SweepMetrics.ParetoMetric);
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(outDir);
        var header = new List<string> { "index" };
        header.AddRange(axes);
        header.AddRange(["model", "status", "reason"]);
        header.AddRange(SweepMetrics.Columns);
        var cells = rows.Select(r => (IReadOnlyList<string>)
        [
            r.Index.ToString(CultureInfo.InvariantCulture), .. r.Values, r.Model, r.Status, r.Reason,
            .. SweepMetrics.Columns.Select(c => r.Metrics.GetValueOrDefault(c) is double v ? Format(v) : string.Empty),
        ]).ToList();
        File.WriteAllText(Path.Combine(outDir, "results.csv"), CsvText(header, cells));
        var pareto = ParetoTable(axes, rows, x, y);
        File.WriteAllText(Path.Combine(outDir, "pareto.csv"), CsvText(pareto.Header, pareto.Rows));
        RenderedChart? chart = ParetoChartFile(outDir, axes, rows, colorBy);
        WriteReport(outDir, header, cells, axes.Length, pareto, chart, $"{x} and {y}");
    }

    /// <summary>
    /// report.html: the Pareto front, every point with its swept values and headline metrics (the rest are in
    /// results.csv), and the Pareto chart, in one self-contained page.
    /// </summary>
    private static void WriteReport(string outDir, List<string> header, List<IReadOnlyList<string>> cells, int axisCount, (List<string> Header, List<IReadOnlyList<string>> Rows) pareto, RenderedChart? chart, string frontMetrics)
    {
        int[] columns = [.. Enumerable.Range(0, header.Count).Where(c => c < axisCount + 4 || s_headline.Contains(header[c], StringComparer.Ordinal))];
        int status = header.IndexOf("status");
        var front = new TablePage.Table($"Pareto front ({(frontMetrics == $"latency_s and {SweepMetrics.ParetoMetric}" ? "latency and " + SweepMetrics.ParetoMetric : frontMetrics)}, per model)", pareto.Header, pareto.Rows);
        var points = new TablePage.Table(
            $"Points ({cells.Count(r => r[status] == "ok")} ok of {cells.Count}; every column in results.csv)",
            [.. columns.Select(c => header[c])],
            [.. cells.Select(r => (IReadOnlyList<string>)[.. columns.Select(c => r[c])])]);
        using var writer = new StreamWriter(Path.Combine(outDir, "report.html"));
        TablePage.Write($"Sweep: {Path.GetFileName(outDir.TrimEnd(Path.DirectorySeparatorChar))}", [front, points], chart is null ? [] : [chart], writer);
    }

    /// <summary>The finished points that have both Pareto metrics, as chart points (energy slot: the second metric).</summary>
    private static List<(SweepRow Row, SweepPoint Point)> Measured(IReadOnlyList<SweepRow> rows, Func<SweepRow, double> parameter, string x = "latency_s", string y = SweepMetrics.ParetoMetric) =>
        [.. rows.Where(r => r.Status == "ok" && r.Metrics.GetValueOrDefault(x) is double && r.Metrics.GetValueOrDefault(y) is double)
            .Select(r => (r, new SweepPoint(r.Index.ToString(CultureInfo.InvariantCulture), r.Metrics[x]!.Value, r.Metrics[y]!.Value, parameter(r))))];

    /// <summary>
    /// Per model, the points not dominated in (<paramref name="x"/>, <paramref name="y"/>), both minimized
    /// (<see cref="ParetoFront"/>); sorted by x, then y, then the point index.
    /// </summary>
    private static (List<string> Header, List<IReadOnlyList<string>> Rows) ParetoTable(ImmutableArray<string> axes, IReadOnlyList<SweepRow> rows, string x, string y)
    {
        var header = new List<string> { "model", "index" };
        header.AddRange(axes);
        header.AddRange([x, y]);
        var table = new List<IReadOnlyList<string>>();
        foreach (var model in Measured(rows, r => r.Index, x, y).GroupBy(m => m.Row.Model, StringComparer.Ordinal))
        {
            var list = model.ToList();
            var front = ParetoFront.Indices([.. list.Select(m => m.Point)]).Select(i => list[i])
                .OrderBy(m => m.Point.LatencySeconds).ThenBy(m => m.Point.EnergyPerInferenceJoules).ThenBy(m => m.Row.Index);
            foreach (var (row, point) in front)
            {
                table.Add([row.Model, row.Index.ToString(CultureInfo.InvariantCulture), .. row.Values, Format(point.LatencySeconds), Format(point.EnergyPerInferenceJoules)]);
            }
        }

        return (header, table);
    }

    /// <summary>
    /// pareto.png/.svg: every finished point's energy per inference against latency, coloured by the
    /// <paramref name="colorBy"/> axis or the first one (its position in the axis's values when they are not numeric),
    /// the front highlighted.
    /// </summary>
    private static RenderedChart? ParetoChartFile(string outDir, ImmutableArray<string> axes, IReadOnlyList<SweepRow> rows, string? colorBy)
    {
        int colour = colorBy is not null ? axes.IndexOf(colorBy) : axes.Length > 0 ? 0 : -1;
        var distinct = colour >= 0 ? rows.Select(r => r.Values[colour]).Distinct(StringComparer.Ordinal).ToList() : [];
        double Parameter(SweepRow r)
        {
            string value = colour >= 0 ? r.Values[colour] : string.Empty;
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : colour >= 0 ? distinct.IndexOf(value) : r.Index;
        }

        var points = Measured(rows, Parameter).Select(m => m.Point).ToList();
        if (points.Count == 0)
        {
            return null;
        }

        return ChartFiles.Save(ParetoChart.Build(points, colour >= 0 ? axes[colour] : "index"), outDir, "pareto", ParetoChart.Title);
    }

    private static string CsvText(List<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        foreach (IReadOnlyList<string> row in rows.Prepend(header))
        {
            sb.AppendJoin(',', row.Select(Csv)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string field) =>
        field.IndexOfAny(s_csvSpecial) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
