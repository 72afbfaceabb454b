using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>
/// How one parameter's value travels between a config and its spec: the config value as the binder reads it (a
/// <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> or
/// <c>ImmutableArray&lt;string&gt;</c>) becomes the spec member's value (an <see cref="int"/>, an enum, bytes from KiB,
/// <c>ImmutableArray&lt;DataType&gt;</c>, ...) and back. A conversion that cannot be made (a KiB capacity that is not a
/// whole number of bytes) is a problem message, never a substitute value.
/// </summary>
public sealed class ParameterConversion
{
    private readonly Func<object, (object? Value, string? Problem)> _toSpec;
    private readonly Func<object, object> _toConfig;

    private ParameterConversion(Type specType, Func<object, (object? Value, string? Problem)> toSpec, Func<object, object> toConfig)
    {
        SpecType = specType;
        _toSpec = toSpec;
        _toConfig = toConfig;
    }

    /// <summary>The type of the spec member the parameter binds to.</summary>
    public Type SpecType { get; }

    /// <summary>A whole number, held by the spec as <see cref="int"/> (the binder has checked the range already).</summary>
    public static ParameterConversion Integer { get; } = new(typeof(int), v => (checked((int)(long)v), null), v => (long)(int)v);

    /// <summary>A finite number, held as <see cref="double"/> in the config's unit.</summary>
    public static ParameterConversion Number { get; } = new(typeof(double), v => ((double)v, null), v => (double)v);

    public static ParameterConversion Boolean { get; } = new(typeof(bool), v => ((bool)v, null), v => (bool)v);

    public static ParameterConversion Text { get; } = new(typeof(string), v => ((string)v, null), v => (string)v);

    /// <summary>KiB in the config, bytes in the spec; a value that is not a whole number of bytes is a problem.</summary>
    public static ParameterConversion KibToBytes { get; } = new(typeof(long), v =>
    {
        double kib = (double)v, bytes = kib * 1024;
        return bytes == Math.Floor(bytes)
            ? ((long)bytes, null)
            : (null, $"must be a whole number of bytes, got {SpecParameter.Format(kib)} KiB = {SpecParameter.Format(bytes)} bytes");
    }, v => (long)v / 1024.0);

    /// <summary>A config name, held as the value its table maps it to (<c>ws</c> to <see cref="Dataflow.WeightStationary"/>).</summary>
    public static ParameterConversion Choice<T>(NameTable<T> table)
        where T : notnull =>
        new(typeof(T), v => table.TryParse((string)v, out T value) ? (value, null) : (null, $"must be one of {string.Join(", ", table.Names)}"), v => table.Name((T)v));

    /// <summary>A list of config names, held as the element types they name, in the order written.</summary>
    public static ParameterConversion TypeList(NameTable<DataType> table) => new(typeof(ImmutableArray<DataType>), v =>
    {
        var types = ImmutableArray.CreateBuilder<DataType>();
        foreach (string name in (ImmutableArray<string>)v)
        {
            if (!table.TryParse(name, out DataType type))
            {
                return (null, $"{name} is not one of {string.Join(", ", table.Names)}");
            }

            types.Add(type);
        }

        return (types.ToImmutable(), null);
    }, v => ((ImmutableArray<DataType>)v).Select(table.Name).ToImmutableArray());

    /// <summary>The spec value of a config value, or the reason there is none.</summary>
    public bool TryToSpec(object configValue, out object? specValue, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(configValue);
        (specValue, problem) = _toSpec(configValue);
        return problem is null;
    }

    /// <summary>The config value of a spec value (bytes back to KiB, an enum back to its name).</summary>
    public object ToConfig(object specValue) => _toConfig(specValue);

    /// <summary>A spec value as a config writes it: <c>0.9</c>, <c>ws</c>, <c>[uint8, int8]</c>, <c>true</c>.</summary>
    public string Format(object specValue) => ToConfig(specValue) switch
    {
        double d => SpecParameter.Format(d),
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        ImmutableArray<string> names => "[" + string.Join(", ", names) + "]",
        var other => other.ToString() ?? string.Empty,
    };
}
