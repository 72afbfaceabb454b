namespace SiliconSim.Hardware.Thermal;

/// <summary>
/// What one <see cref="ThermalModel.Advance"/> step did. <see cref="Converged"/> is false when the leakage-temperature
/// fixed point has no solution (thermal runaway) or the junction left the model's range.
/// </summary>
public readonly record struct ThermalStepResult(
    double LeakagePowerW, double EnergyInJ, double EnergyToAmbientJ, double MeanJunctionC, bool Converged);
