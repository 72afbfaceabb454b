using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Timing;

/// <summary>
/// The adder of a PE's accumulator: <c>acc' = policy(acc + product)</c> at <see cref="Bits"/> bits, applied after every
/// single multiply-add (so saturation is sticky in summation order, as in a real saturating adder).
/// </summary>
/// <param name="Bits">Accumulator width, 2..32.</param>
/// <param name="Overflow">Wrap (two's complement, as a plain adder) or saturate at the width's bounds.</param>
public readonly record struct AccumulatorArithmetic(int Bits, AccumulatorOverflow Overflow)
{
    /// <summary>ONNX Runtime's arithmetic: a 32-bit wrapping accumulator (MLAS accumulates in int32).</summary>
    public static AccumulatorArithmetic Int32Wrap { get; } = new(32, AccumulatorOverflow.Wrap);

    /// <summary>The accumulator of an array whose numerics are <paramref name="numerics"/>.</summary>
    public static AccumulatorArithmetic From(ArrayNumericsSpec numerics)
    {
        ArgumentNullException.ThrowIfNull(numerics);
        return new AccumulatorArithmetic(numerics.AccumulatorBits, numerics.Overflow);
    }

    /// <summary>Smallest value the accumulator holds: -2^(Bits-1).</summary>
    public long Min => -(1L << (Bits - 1));

    /// <summary>Largest value the accumulator holds: 2^(Bits-1) - 1.</summary>
    public long Max => (1L << (Bits - 1)) - 1;

    /// <summary>Returns <c>acc + product</c> wrapped or saturated to <see cref="Bits"/> bits. The sum is exact in 64 bits
    /// first (|acc| &lt; 2^31 and |product| &lt; 2^62 for any 32-bit operands), so the policy sees the true sum.</summary>
    public int Add(int acc, long product)
    {
        long sum = acc + product;
        if (Overflow == AccumulatorOverflow.Saturate)
        {
            return (int)Math.Clamp(sum, Min, Max);
        }

        int shift = 64 - Bits;
        return (int)((sum << shift) >> shift);
    }

    /// <summary>Throws if <see cref="Bits"/> is outside 2..32.</summary>
    public void Validate()
    {
        if (Bits is < 2 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "accumulator width must be 2..32 bits");
        }
    }
}
