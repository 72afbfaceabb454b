using SiliconSim.Graph.Execution;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Numerics;

/// <summary>Turns the hardware's <see cref="ArrayNumericsSpec"/> into the executor's <see cref="ExecutionOptions"/>.</summary>
public static class ArrayNumericsMapping
{
    /// <summary>The executor's settings for an array with these numerics: <see cref="ArrayNumericsSpec.ToMatrixNumerics"/>
    /// for the integer path and the low-precision accumulation for float8/float4 operands.</summary>
    public static ExecutionOptions ToExecutionOptions(this ArrayNumericsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ExecutionOptions { MatrixNumerics = spec.ToMatrixNumerics(), LowPrecisionAccumulation = spec.LowPrecisionAccumulation };
    }
}
