using SiliconSim.Hardware.Energy;

namespace SiliconSim.Simulation.Energy;

/// <summary>How an <see cref="EnergyReport"/> priced leakage: the model, the junction temperature, and why that one.</summary>
public sealed record LeakagePricing
{
    /// <summary>The die's leakage model (where its reference figure comes from is in <see cref="LeakageModel.Source"/>).</summary>
    public required LeakageModel Model { get; init; }

    /// <summary>The junction temperature leakage was priced at, °C.</summary>
    public required double JunctionC { get; init; }

    public required LeakageTemperatureBasis Basis { get; init; }

    /// <summary>Leakage power at <see cref="JunctionC"/> and the nominal voltage, W.</summary>
    public double PowerW => Model.PowerW(JunctionC);
}
