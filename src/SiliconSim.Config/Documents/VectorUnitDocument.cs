using System.Collections.Immutable;

namespace SiliconSim.Config.Documents;

/// <summary>The <c>vector_unit:</c> section as written (null = absent).</summary>
public sealed class VectorUnitDocument
{
    public long? Lanes { get; set; }

    /// <summary>Op class name (e.g. <c>pooling</c>) to cycles per element, only for the classes written.</summary>
    public ImmutableDictionary<string, double> CyclesPerElement { get; set; } = ImmutableDictionary<string, double>.Empty;

    public ImmutableArray<string>? Types { get; set; }
}
