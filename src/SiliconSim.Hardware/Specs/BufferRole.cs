namespace SiliconSim.Hardware.Specs;

/// <summary>Which operands an SRAM buffer holds.</summary>
public enum BufferRole
{
    /// <summary>Input feature maps (activations), SCALE-Sim's ifmap SRAM.</summary>
    Input,

    /// <summary>Weights (filters), SCALE-Sim's filter SRAM.</summary>
    Weight,

    /// <summary>Output feature maps and partial sums, SCALE-Sim's ofmap SRAM.</summary>
    Output,

    /// <summary>One buffer shared by all operands (TPUv1's Unified Buffer).</summary>
    Unified,
}
