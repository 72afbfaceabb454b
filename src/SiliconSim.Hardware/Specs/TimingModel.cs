namespace SiliconSim.Hardware.Specs;

/// <summary>Which cycle model the fold-level engine uses.</summary>
public enum TimingModel
{
    /// <summary>SiliconSim's model: SCALE-Sim's fold model plus the costs it omits (e.g. the output drain in <c>os</c>).</summary>
    Corrected,

    /// <summary>SCALE-Sim v2's published per-fold formulas, for reproducing SCALE-Sim studies.</summary>
    ScaleSim,
}
