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
    /// One segment per layer: cycles / clock for its duration. A layer with no cycles and no energy is skipped; one
    /// with energy but no cycles cannot be a power and is rejected.
    /// </summary>
    public static InferencePowerTrace FromLayers(IEnumerable<LayerActivity> layers, double clockMhz)
    {
        var segments = new List<PowerSegment>();
        foreach (LayerActivity layer in layers)
        {
            if (layer.Cycles <= 0)
            {
                if (layer.DynamicEnergyJ != 0)
                {
                    throw new ArgumentException($"layer '{layer.Name}' has energy but no cycles", nameof(layers));
                }

                continue;
            }

            segments.Add(new PowerSegment(layer.Cycles / (clockMhz * 1e6), layer.DynamicEnergyJ));
        }

        return new InferencePowerTrace(segments);
    }
}
