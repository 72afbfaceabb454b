using System.Collections.Concurrent;
using SiliconSim.Cli.Io;
using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// One model of a sweep, read once: its file's hash (part of every point key) and its preparations. Values and layers
/// depend on how the model is lowered for the array, which only its operand types decide, so the model is prepared once
/// per distinct operand-type list (the numerics of the first point to ask, as values never change timing).
/// </summary>
internal sealed class SweepModel(LoadedWorkload workload, string sha256)
{
    private readonly ConcurrentDictionary<string, Lazy<PreparedWorkload>> _prepared = new(StringComparer.Ordinal);

    public string Name => workload.Request.Name;

    public string Sha256 => sha256;

    /// <summary>The preparation for <paramref name="spec"/>'s lowering.</summary>
    /// <exception cref="UserInputException">the model cannot run (an unsupported op, a failing node).</exception>
    public PreparedWorkload For(AcceleratorSpec spec) =>
        _prepared.GetOrAdd(string.Join(',', spec.Array.OperandTypes), _ => new Lazy<PreparedWorkload>(() => workload.Prepare(spec))).Value;
}
