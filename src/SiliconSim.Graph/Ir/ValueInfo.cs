using System.Collections.Immutable;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Ir;

/// <summary>A declared graph value: its element type and shape, where a null dimension is symbolic or unknown.</summary>
public sealed record ValueInfo(string Name, DataType Type, ImmutableArray<int?> Dims)
{
    /// <summary>True when every dimension is known.</summary>
    public bool IsStatic => Dims.All(d => d.HasValue);

    /// <summary>The declared shape as messages show it, a symbolic or unknown dimension as '?': <c>[?,1,8,8]</c>.</summary>
    public string DimsText => "[" + string.Join(',', Dims.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")) + "]";
}
