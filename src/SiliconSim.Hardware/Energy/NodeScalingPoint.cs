namespace SiliconSim.Hardware.Energy;

/// <summary>
/// Energy per operation at a technology node and that node's nominal supply, relative to a reference node
/// (Stillmaker &amp; Baas, Integration 2017).
/// </summary>
public sealed record NodeScalingPoint(int NodeNm, double NominalVoltageV, double EnergyFactor);
