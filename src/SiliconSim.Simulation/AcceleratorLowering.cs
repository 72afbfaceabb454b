using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation;

/// <summary>The graph an accelerator executes: ORT's CPU lowering (the golden's arithmetic), then the matrix ops whose
/// low-precision weight type the array lists moved onto the array's own fp8/fp4 MACs.</summary>
public static class AcceleratorLowering
{
    /// <param name="spec">The accelerator; null lowers for the reference (ORT) only.</param>
    public static ModelGraph Lower(ModelGraph graph, AcceleratorSpec? spec)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(graph);
        return spec is null ? lowered : LowPrecisionArrayMapping.Apply(lowered, spec.Array.OperandTypes.Contains);
    }
}
