namespace SiliconSim.Simulation.Layers;

/// <summary>
/// One matrix product in SCALE-Sim's GEMM view: an M x K operand (im2col'd inputs: M = output pixels x batch, K = window x
/// input channels) times a K x N operand (weights: N = output channels).
/// </summary>
public readonly record struct GemmShape(long M, long N, long K)
{
    public long Macs => M * N * K;
}
