namespace SiliconSim.Simulation.Oracle;

/// <summary>What one GEMM on <see cref="SystolicArraySimulator"/> produced and how long it took.</summary>
/// <param name="M">Rows of the output.</param>
/// <param name="N">Columns of the output.</param>
/// <param name="Output">The M x N accumulators, row-major, as they left the array.</param>
/// <param name="Cycles">Cycles from the first operand entering the array to the last output written.</param>
/// <param name="Macs">Multiply-accumulates the PEs performed.</param>
/// <param name="Folds">Array loads (row folds x column folds).</param>
/// <param name="PeUpdates">PE register updates simulated (PEs stepped x cycles), the engine's unit of work.</param>
public sealed record SystolicRunResult(int M, int N, int[] Output, long Cycles, long Macs, long Folds, long PeUpdates);
