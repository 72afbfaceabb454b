namespace SiliconSim.Simulation.Memory;

/// <summary>Whether a layer could be mapped onto the buffers (Timeloop's evaluation status).</summary>
public enum MappingStatus
{
    /// <summary>A tiling was found; every count and cycle figure in the result is valid.</summary>
    Feasible,

    /// <summary>No tiling fits; the result carries a reason naming the buffer, and no counts.</summary>
    Infeasible,
}
