using System.Collections.Immutable;

namespace SiliconSim.Reporting.Charts;

/// <summary>
/// The non-dominated points when latency and a second metric (energy per inference, …) are both minimised: the one
/// Pareto-dominance rule behind the sweep's pareto.csv, its report table and <see cref="ParetoChart"/>.
/// </summary>
public static class ParetoFront
{
    /// <summary>
    /// Indices of the points no other point dominates, sorted by latency, then metric, then index. A point is dominated
    /// when another is no worse in both coordinates and better in one, so equal points all stay. A point with a NaN
    /// coordinate has no place on the front and is left out. O(n²): sweeps are small.
    /// </summary>
    public static ImmutableArray<int> Of(IReadOnlyList<(double Latency, double Metric)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return
        [
            .. Enumerable.Range(0, points.Count)
                .Where(i => !double.IsNaN(points[i].Latency) && !double.IsNaN(points[i].Metric))
                .Where(i => !points.Any(q => Dominates(q, points[i])))
                .OrderBy(i => points[i].Latency)
                .ThenBy(i => points[i].Metric)
                .ThenBy(i => i),
        ];
    }

    /// <summary>Indices of the sweep points on the (latency, energy per inference) front, in input order.</summary>
    public static IReadOnlyList<int> Indices(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return [.. Of([.. points.Select(p => (p.LatencySeconds, p.EnergyPerInferenceJoules))]).Order()];
    }

    private static bool Dominates((double Latency, double Metric) q, (double Latency, double Metric) p) =>
        q.Latency <= p.Latency && q.Metric <= p.Metric && (q.Latency < p.Latency || q.Metric < p.Metric);
}
