using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Simulation.Tests.Numerics;

public sealed class ArrayNumericsMappingTests
{
    [Fact]
    public void ToMatrixNumerics_DefaultSpec_IsOrtReference()
    {
        MatrixNumerics m = new ArrayNumericsSpec().ToMatrixNumerics();
        Assert.Equal(MatrixNumerics.Reference, m);
        Assert.True(m.IsReference);
    }

    [Theory]
    [InlineData(24, OverflowPolicy.Saturate, RequantizerKind.FixedPoint, FixedPointRounding.NearestAwayFromZero, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestAwayFromZero)]
    [InlineData(16, OverflowPolicy.Wrap, RequantizerKind.Float32, FixedPointRounding.NearestUp, AccumulatorOverflow.Wrap, RequantizerArithmetic.Float32, ShiftRounding.NearestUp)]
    [InlineData(32, OverflowPolicy.Saturate, RequantizerKind.FixedPoint, FixedPointRounding.NearestEven, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestEven)]
    [InlineData(2, OverflowPolicy.Wrap, RequantizerKind.FixedPoint, FixedPointRounding.Floor, AccumulatorOverflow.Wrap, RequantizerArithmetic.FixedPoint, ShiftRounding.Floor)]
    public void ToMatrixNumerics_MapsEveryField(
        int bits, OverflowPolicy overflow, RequantizerKind kind, FixedPointRounding rounding, AccumulatorOverflow expectedOverflow, RequantizerArithmetic expectedKind, ShiftRounding expectedRounding)
    {
        var spec = new ArrayNumericsSpec { AccumulatorBits = bits, Overflow = overflow, Requantizer = kind, FixedPointRounding = rounding };
        MatrixNumerics m = spec.ToMatrixNumerics();
        Assert.Equal((bits, expectedOverflow, expectedKind, expectedRounding), (m.AccumulatorBits, m.Overflow, m.Requantizer, m.FixedPointRounding));
    }

    [Fact]
    public void ToMatrixNumerics_WidthBelowTwo_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrayNumericsSpec { AccumulatorBits = 1 }.ToMatrixNumerics());

    [Theory]
    [InlineData(OverflowPolicy.Wrap)]
    [InlineData(OverflowPolicy.Saturate)]
    public void ToMatrixNumerics_WiderThan32Bits_RunsAs32BitSaturating(OverflowPolicy overflow)
    {
        MatrixNumerics m = new ArrayNumericsSpec { AccumulatorBits = 48, Overflow = overflow }.ToMatrixNumerics();
        Assert.Equal((32, AccumulatorOverflow.Saturate), (m.AccumulatorBits, m.Overflow));
    }
}
