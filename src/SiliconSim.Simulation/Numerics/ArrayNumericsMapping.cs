using SiliconSim.Graph.Execution;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation.Numerics;

/// <summary>Turns the hardware's <see cref="ArrayNumericsSpec"/> into the executor's <see cref="MatrixNumerics"/>.</summary>
public static class ArrayNumericsMapping
{
    /// <summary>
    /// Field by field: accumulator width, overflow policy, requantizer kind and the fixed-point shift rounding. The
    /// executor's kernels accumulate in at most 32 bits, so a wider accumulator (33..64 bits, which never overflows on
    /// 8-bit operands until K exceeds 2^(bits-17)) runs as a 32-bit saturating one: identical unless an int32 sum would
    /// overflow, and then the closest an int32 datapath can come.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">the width is below 2 or an enum value is unknown.</exception>
    public static MatrixNumerics ToMatrixNumerics(this ArrayNumericsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new MatrixNumerics
        {
            AccumulatorBits = Math.Min(spec.AccumulatorBits, 32),
            Overflow = spec.AccumulatorBits > 32 ? AccumulatorOverflow.Saturate : spec.Overflow switch
            {
                OverflowPolicy.Wrap => AccumulatorOverflow.Wrap,
                OverflowPolicy.Saturate => AccumulatorOverflow.Saturate,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Overflow, "unknown overflow policy"),
            },
            Requantizer = spec.Requantizer switch
            {
                RequantizerKind.Float32 => RequantizerArithmetic.Float32,
                RequantizerKind.FixedPoint => RequantizerArithmetic.FixedPoint,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Requantizer, "unknown requantizer"),
            },
            FixedPointRounding = spec.FixedPointRounding switch
            {
                FixedPointRounding.NearestAwayFromZero => ShiftRounding.NearestAwayFromZero,
                FixedPointRounding.NearestUp => ShiftRounding.NearestUp,
                FixedPointRounding.NearestEven => ShiftRounding.NearestEven,
                FixedPointRounding.Floor => ShiftRounding.Floor,
                _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.FixedPointRounding, "unknown rounding"),
            },
        };
    }

    /// <summary>The executor's settings for an array with these numerics: <see cref="ToMatrixNumerics"/> for the integer
    /// path and the low-precision accumulation for float8/float4 operands.</summary>
    public static ExecutionOptions ToExecutionOptions(this ArrayNumericsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ExecutionOptions { MatrixNumerics = spec.ToMatrixNumerics(), LowPrecisionAccumulation = spec.LowPrecisionAccumulation };
    }
}
