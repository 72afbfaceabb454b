using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Energy;

/// <summary>Elements the vector unit processed in one op class.</summary>
public sealed record VectorOpCount(VectorOpClass OpClass, long Elements);
