namespace SiliconSim.Simulation.Results;

/// <summary>Which unit executed a layer.</summary>
public enum LayerKind
{
    /// <summary>A matrix op on the systolic array.</summary>
    Matrix,

    /// <summary>An op on the vector unit.</summary>
    Vector,
}
