namespace SiliconSim.Hardware.Energy;

/// <summary>Accumulator adds of one width: integer (priced linearly in width) or floating point (fp16/fp32).</summary>
public sealed record AccumulatorAddCount(int Bits, bool IsFloat, long Count);
