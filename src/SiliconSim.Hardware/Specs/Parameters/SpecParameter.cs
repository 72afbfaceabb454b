using System.Collections.Immutable;
using System.Globalization;

namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>
/// One parameter of the accelerator description, gem5/SST style: its config path, unit, default and the reason for
/// that default. <see cref="SpecParameters"/> lists them all; validation messages, <c>siliconsim describe</c> and the
/// config README are all driven from that one list.
/// </summary>
public sealed record SpecParameter
{
    /// <summary>The config path with <c>[]</c> standing for a list index, e.g. <c>memory.buffers[].capacity_kib</c>.</summary>
    public required string Path { get; init; }

    public required ParameterKind Kind { get; init; }

    /// <summary>The unit of the value as written in the config (e.g. <c>KiB</c>, <c>MHz</c>); "-" when it has none.</summary>
    public string Unit { get; init; } = "-";

    /// <summary>
    /// The default as a config would write it, or null when the parameter is required. For a value default it is
    /// <see cref="DefaultValue"/> formatted by <see cref="Conversion"/>; set it only for a default that is not a value
    /// (<c>the file name</c>, <c>array.cols</c>, a section's <c>all defaults</c>).
    /// </summary>
    public string? Default
    {
        get => _describedDefault ?? (DefaultValue is { } value ? Conversion!.Format(value) : null);
        init => _describedDefault = value;
    }

    private readonly string? _describedDefault;

    /// <summary>
    /// The default as the spec holds it (an <see cref="int"/>, an enum, bytes, <c>ImmutableArray&lt;DataType&gt;</c>,
    /// of <see cref="ParameterConversion.SpecType"/>), or null when required or derived from other values. The one place
    /// a default lives: the binder applies it and the spec records' initializers read it (<see cref="SpecParameters.Default{T}"/>).
    /// </summary>
    public object? DefaultValue { get; init; }

    /// <summary>How the config value becomes the spec's value and back; set for every leaf (not for sections).</summary>
    public ParameterConversion? Conversion { get; init; }

    /// <summary>What the parameter means.</summary>
    public required string Doc { get; init; }

    /// <summary>Why the default is what it is, or why there is none.</summary>
    public required string Reason { get; init; }

    /// <summary>Smallest allowed value of a number (see <see cref="MinExclusive"/>).</summary>
    public double? Min { get; init; }

    /// <summary>True when <see cref="Min"/> itself is not allowed (a strict lower bound, "must be &gt; 0").</summary>
    public bool MinExclusive { get; init; }

    /// <summary>Largest allowed value of a number (inclusive).</summary>
    public double? Max { get; init; }

    /// <summary>
    /// A physical lower bound above <see cref="Min"/> (inclusive): a value past <see cref="Min"/> but below it is
    /// possible arithmetic and absurd hardware (a 1e-300 MHz clock). A value that breaks <see cref="Min"/> is still
    /// told so first ("must be &gt; 0"); one between the two is told the floor ("must be &gt;= 0.001").
    /// </summary>
    public double? Floor { get; init; }

    /// <summary>Why the range is what it is, when a bound is not self-evident (a physical floor, say).</summary>
    public string? RangeReason { get; init; }

    /// <summary>The allowed names of a <see cref="ParameterKind.Choice"/> or <see cref="ParameterKind.ChoiceList"/>.</summary>
    public ImmutableArray<string> Choices { get; init; } = [];

    /// <summary>
    /// How a number's value is read back from a spec, in config units (<c>capacity_kib</c> is the buffer's bytes / 1024):
    /// given the spec and the list index (ignored outside lists), the value, or null for an index past the list's end.
    /// Set for every <see cref="ParameterKind.Integer"/> and <see cref="ParameterKind.Number"/> parameter.
    /// </summary>
    public Func<AcceleratorSpec, int, double?>? Read { get; init; }

    public bool IsRequired => Default is null;

    /// <summary>The last path segment: the key as written in YAML.</summary>
    public string Key => Path[(Path.LastIndexOf('.') + 1)..];

    /// <summary>The path of the enclosing section ("" for top-level keys).</summary>
    public string Parent => Path.LastIndexOf('.') is var i and >= 0 ? Path[..i] : string.Empty;

    /// <summary>The allowed range or values in words, for tables and messages.</summary>
    public string RangeText => Kind switch
    {
        ParameterKind.Choice => string.Join(" | ", Choices),
        ParameterKind.ChoiceList => "list of " + string.Join(" | ", Choices),
        ParameterKind.Boolean => "true | false",
        _ when Floor is not null && Max is not null => $"{Format(Floor.Value)} .. {Format(Max.Value)}",
        _ when Min is not null && Max is not null => $"{(MinExclusive ? "> " : string.Empty)}{Format(Min.Value)} .. {Format(Max.Value)}",
        _ when Min is not null => $"{(MinExclusive ? ">" : ">=")} {Format(Min.Value)}",
        _ when Max is not null => $"<= {Format(Max.Value)}",
        _ => string.Empty,
    };

    /// <summary>Checks a value against the range; returns the problem ("must be &gt; 0, got -4") or null when it fits.</summary>
    public string? CheckRange(double value)
    {
        if (double.IsNaN(value))
        {
            return "must be a number, got NaN";
        }

        // Name only the bound that is broken: "must be > 0, got -4", not the whole range.
        if (Min is double min && (MinExclusive ? value <= min : value < min))
        {
            return $"must be {(MinExclusive ? ">" : ">=")} {Format(min)}, got {Format(value)}";
        }

        if (Floor is double floor && value < floor)
        {
            return $"must be >= {Format(floor)}, got {Format(value)}";
        }

        return Max is double max && value > max ? $"must be <= {Format(max)}, got {Format(value)}" : null;
    }

    /// <summary>Formats a number the way a config writes it: invariant culture, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
