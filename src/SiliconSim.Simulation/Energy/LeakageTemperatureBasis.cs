namespace SiliconSim.Simulation.Energy;

/// <summary>Why leakage was priced at the junction temperature it was.</summary>
public enum LeakageTemperatureBasis
{
    /// <summary>
    /// The steady state of back-to-back runs at the nominal operating point, leakage feedback included: the
    /// temperature at which the energy of a run, over its duration, is the power the thermal model dissipates.
    /// </summary>
    SteadyState,

    /// <summary>
    /// Back-to-back runs have no steady state (thermal runaway: leakage grows faster with temperature than the package
    /// sheds it), so leakage is priced at <c>thermal.max_junction_c</c>, the hottest the part may be run.
    /// </summary>
    MaxJunction,

    /// <summary>A temperature the caller chose.</summary>
    Given,
}
