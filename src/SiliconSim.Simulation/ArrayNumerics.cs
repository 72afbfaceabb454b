using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Simulation;

/// <summary>The array's configured numerics as the executor's kernel options.</summary>
public static class ArrayNumerics
{
    public static MatrixNumerics ToMatrixNumerics(ArrayNumericsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new MatrixNumerics
        {
            AccumulatorBits = spec.AccumulatorBits,
            Overflow = spec.Overflow == OverflowPolicy.Saturate ? AccumulatorOverflow.Saturate : AccumulatorOverflow.Wrap,
            Requantizer = spec.Requantizer == RequantizerKind.FixedPoint ? RequantizerArithmetic.FixedPoint : RequantizerArithmetic.Float32,
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
}
