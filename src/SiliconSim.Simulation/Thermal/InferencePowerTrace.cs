using System.Collections.Immutable;

namespace SiliconSim.Simulation.Thermal;

/// <summary>The dynamic power of one inference at the nominal operating point, as piecewise-constant segments.</summary>
public sealed class InferencePowerTrace
{
    public InferencePowerTrace(IEnumerable<PowerSegment> segments)
    {
        Segments = [.. segments];
        if (Segments.IsEmpty || Segments.Any(s => !(s.DurationS > 0) || !(s.DynamicEnergyJ >= 0) || !double.IsFinite(s.DynamicEnergyJ)))
        {
            throw new ArgumentException("a trace needs at least one segment, each with duration > 0 and finite energy >= 0", nameof(segments));
        }
    }

    public ImmutableArray<PowerSegment> Segments { get; }

    public double DurationS => Segments.Sum(s => s.DurationS);

    public double DynamicEnergyJ => Segments.Sum(s => s.DynamicEnergyJ);

    /// <summary>
    /// One segment per layer: cycles / clock for its duration. A layer that takes no cycles but spends energy (a copy
    /// between on-chip buffers, which the vector unit overlaps with nothing) adds its energy to the next layer that
    /// takes time, or to the last one when it ends the inference, so the trace keeps the inference's whole energy.
    /// </summary>
    public static InferencePowerTrace FromLayers(IEnumerable<LayerActivity> layers, double clockMhz)
    {
        var segments = new List<PowerSegment>();
        double pending = 0;
        foreach (LayerActivity layer in layers)
        {
            if (layer.Cycles <= 0)
            {
                pending += layer.DynamicEnergyJ;
                continue;
            }

            segments.Add(new PowerSegment(layer.Cycles / (clockMhz * 1e6), layer.DynamicEnergyJ + pending));
            pending = 0;
        }

        if (pending != 0 && segments.Count > 0)
        {
            segments[^1] = segments[^1] with { DynamicEnergyJ = segments[^1].DynamicEnergyJ + pending };
        }

        return new InferencePowerTrace(segments);
    }
}
