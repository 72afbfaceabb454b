namespace SiliconSim.Simulation.Memory;

/// <summary>The three operands of a layer's GEMM as the memory model sees them.</summary>
public enum OperandKind
{
    /// <summary>The M x K operand: activations, held in SRAM as the raw input region and im2col-expanded on the way to the array.</summary>
    Input,

    /// <summary>The K x N operand: weights, or the second activation of a matmul.</summary>
    Weight,

    /// <summary>The M x N result: outputs, and partial sums while K is still being reduced.</summary>
    Output,
}
