namespace SiliconSim.Simulation.Memory;

/// <summary>A loop of the tiled GEMM nest: over M tiles (output pixels), N tiles (output channels) or K tiles (reduction).</summary>
public enum LoopDim
{
    M,
    N,
    K,
}
