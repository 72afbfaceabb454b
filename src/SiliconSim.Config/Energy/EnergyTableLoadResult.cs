using System.Collections.Immutable;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Hardware.Energy;

namespace SiliconSim.Config.Energy;

/// <summary>What loading an energy table gives: the table when valid, every diagnostic otherwise.</summary>
public sealed record EnergyTableLoadResult(EnergyTableSpec? Table, ImmutableArray<ConfigDiagnostic> Diagnostics, SourceMap SourceMap)
{
    public bool Success => Table is not null;

    /// <summary>The table, or an exception listing every diagnostic.</summary>
    public EnergyTableSpec TableOrThrow() =>
        Table ?? throw new InvalidOperationException("invalid energy table:" + Environment.NewLine + string.Join(Environment.NewLine, Diagnostics));
}
