using System.Collections.Immutable;

namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>A fixed two-way map between config names (e.g. <c>ws</c>) and values (e.g. <see cref="Dataflow.WeightStationary"/>).</summary>
public sealed class NameTable<T>
    where T : notnull
{
    private readonly ImmutableArray<(string Name, T Value)> _entries;

    public NameTable(params (string Name, T Value)[] entries) => _entries = [.. entries];

    /// <summary>The names in their documented order.</summary>
    public ImmutableArray<string> Names => [.. _entries.Select(e => e.Name)];

    /// <summary>The config name of a value.</summary>
    public string Name(T value)
    {
        foreach (var (name, v) in _entries)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "value has no config name");
    }

    /// <summary>Finds a value by name; ordinal and case-sensitive, as YAML keys and values are.</summary>
    public bool TryParse(string name, out T value)
    {
        foreach (var (n, v) in _entries)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
