namespace SiliconSim.Simulation.Memory;

/// <summary>
/// A layer's compute cycles counted for the whole layer at once and spread over its tiles in proportion to their MACs,
/// so that the tiling (and so the SRAM sizes) moves only the stalls, never the compute. This is SCALE-Sim's view: its
/// compute cycles come from the layer's whole GEMM, whatever its SRAMs hold (its CALC mode), while SiliconSim still
/// tiles the layer to count memory traffic and the stalls that traffic causes.
/// </summary>
/// <param name="Cycles">The whole layer's compute cycles.</param>
/// <param name="Macs">The whole layer's MACs.</param>
internal readonly record struct WholeLayerCompute(long Cycles, long Macs)
{
    /// <summary>
    /// The cycles charged once the first <paramref name="macs"/> MACs are done: floor(macs x Cycles / Macs), in 128-bit
    /// arithmetic. Per-tile shares are differences of this, so they sum to exactly <see cref="Cycles"/> over the layer.
    /// </summary>
    public long CyclesThrough(long macs) => Macs == 0 ? Cycles : (long)((Int128)macs * Cycles / Macs);
}
