namespace SiliconSim.Simulation.Pipeline;

/// <summary>Which part of a <see cref="WorkloadRequest"/> a <see cref="WorkloadException"/> blames.</summary>
public enum WorkloadFault
{
    /// <summary>The model: an unsupported op, or a node that fails on the given values.</summary>
    Model,

    /// <summary>The input values: a missing input, a wrong type or shape.</summary>
    Inputs,
}
