using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Simulation;

/// <summary>The graph an accelerator executes: ORT's CPU lowering (the golden's arithmetic), then the matrix ops whose
/// low-precision weight type the array lists moved onto the array's own fp8/fp4 MACs.</summary>
public static class AcceleratorLowering
{
    /// <param name="graph">The imported model.</param>
    /// <param name="spec">The accelerator; null lowers for the reference (ORT) only.</param>
    /// <param name="budget">What a folded constant may take; null: the default.</param>
    public static ModelGraph Lower(ModelGraph graph, AcceleratorSpec? spec, MemoryBudget? budget = null)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(graph, budget: budget);
        return spec is null ? lowered : LowPrecisionArrayMapping.Apply(lowered, spec.Array.OperandTypes.Contains);
    }
}
