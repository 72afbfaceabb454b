using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Hardware.Tests;

public sealed class ArrayNumericsSpecTests
{
    [Fact]
    public void ToMatrixNumerics_DefaultSpec_IsOrtReference()
    {
        MatrixNumerics m = new ArrayNumericsSpec().ToMatrixNumerics();
        Assert.Equal(MatrixNumerics.Reference, m);
        Assert.True(m.IsReference);
    }

    [Theory]
    [InlineData(24, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestAwayFromZero, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestAwayFromZero)]
    [InlineData(16, AccumulatorOverflow.Wrap, RequantizerArithmetic.Float32, ShiftRounding.NearestUp, AccumulatorOverflow.Wrap, RequantizerArithmetic.Float32, ShiftRounding.NearestUp)]
    [InlineData(32, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestEven, AccumulatorOverflow.Saturate, RequantizerArithmetic.FixedPoint, ShiftRounding.NearestEven)]
    [InlineData(2, AccumulatorOverflow.Wrap, RequantizerArithmetic.FixedPoint, ShiftRounding.Floor, AccumulatorOverflow.Wrap, RequantizerArithmetic.FixedPoint, ShiftRounding.Floor)]
    public void ToMatrixNumerics_MapsEveryField(
        int bits, AccumulatorOverflow overflow, RequantizerArithmetic kind, ShiftRounding rounding, AccumulatorOverflow expectedOverflow, RequantizerArithmetic expectedKind, ShiftRounding expectedRounding)
    {
        var spec = new ArrayNumericsSpec { AccumulatorBits = bits, Overflow = overflow, Requantizer = kind, FixedPointRounding = rounding };
        MatrixNumerics m = spec.ToMatrixNumerics();
        Assert.Equal((bits, expectedOverflow, expectedKind, expectedRounding), (m.AccumulatorBits, m.Overflow, m.Requantizer, m.FixedPointRounding));
    }

    [Fact]
    public void ToMatrixNumerics_WidthBelowTwo_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrayNumericsSpec { AccumulatorBits = 1 }.ToMatrixNumerics());

    [Theory]
    [InlineData(AccumulatorOverflow.Wrap)]
    [InlineData(AccumulatorOverflow.Saturate)]
    public void ToMatrixNumerics_WiderThan32Bits_RunsAs32BitSaturating(AccumulatorOverflow overflow)
    {
        MatrixNumerics m = new ArrayNumericsSpec { AccumulatorBits = 48, Overflow = overflow }.ToMatrixNumerics();
        Assert.Equal((32, AccumulatorOverflow.Saturate), (m.AccumulatorBits, m.Overflow));
    }
}
