namespace SiliconSim.Simulation.Pipeline;

/// <summary>What became of a workload's values.</summary>
public enum ValuesOutcome
{
    /// <summary>Nothing was executed: a topology, or a model without inputs.</summary>
    TimingOnly,

    /// <summary>Executed; there was no golden to compare with.</summary>
    Executed,

    /// <summary>Every output element equals the golden's bits.</summary>
    BitExact,

    /// <summary>Some elements differ from the golden under the reference (ONNX Runtime's) numerics: a bug or bad golden.</summary>
    Mismatch,

    /// <summary>Some elements differ from the golden under the array's own numerics: the hardware's drift.</summary>
    Drift,
}
