namespace SiliconSim.Config.Sweeps;

/// <summary>How axes combine: every combination (the last axis varies fastest) or element by element.</summary>
public enum SweepCombine
{
    /// <summary>The Cartesian product; the first axis is outermost.</summary>
    Grid,

    /// <summary>The i-th value of every axis together; all axes must have the same length.</summary>
    Zip,
}
