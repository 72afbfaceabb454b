using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Energy;

/// <summary>MACs performed with one operand pair.</summary>
public sealed record MacCount(DataType Input, DataType Weight, long Count);
