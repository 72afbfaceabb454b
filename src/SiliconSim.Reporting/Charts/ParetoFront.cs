namespace SiliconSim.Reporting.Charts;

/// <summary>The non-dominated points when both latency and energy are to be minimised.</summary>
public static class ParetoFront
{
    /// <summary>
    /// Indices of points no other point dominates (≤ in both, &lt; in one), in input order. O(n²): sweeps are small.
    /// </summary>
    public static IReadOnlyList<int> Indices(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = new List<int>();
        for (int i = 0; i < points.Count; i++)
        {
            SweepPoint p = points[i];
            bool dominated = points.Any(q =>
                q.LatencySeconds <= p.LatencySeconds && q.EnergyPerInferenceJoules <= p.EnergyPerInferenceJoules
                && (q.LatencySeconds < p.LatencySeconds || q.EnergyPerInferenceJoules < p.EnergyPerInferenceJoules));
            if (!dominated)
            {
                front.Add(i);
            }
        }

        return front;
    }
}
