using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.ArrayNumerics;

/// <summary>The narrow accumulator register: examples and the laws of wrap and saturation.</summary>
public sealed class NarrowAccumulatorTests
{
    [Theory]
    [InlineData(32768L, 16, AccumulatorOverflow.Wrap, -32768)] // 32767 + 1
    [InlineData(32768L, 16, AccumulatorOverflow.Saturate, 32767)]
    [InlineData(-32769L, 16, AccumulatorOverflow.Wrap, 32767)]
    [InlineData(-32769L, 16, AccumulatorOverflow.Saturate, -32768)]
    [InlineData(2L, 2, AccumulatorOverflow.Wrap, -2)]
    [InlineData(8388608L, 24, AccumulatorOverflow.Saturate, 8388607)]
    [InlineData(2147483648L, 32, AccumulatorOverflow.Wrap, int.MinValue)]
    [InlineData(2147483648L, 32, AccumulatorOverflow.Saturate, int.MaxValue)]
    public void Fit_Examples(long sum, int bits, AccumulatorOverflow overflow, int expected) =>
        Assert.Equal(expected, NarrowAccumulator.Fit(sum, bits, overflow));

    [Property(MaxTest = 300)]
    public bool Fit_EqualsFloorModuloAndClampReference(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(2, 33);
        long v = rng.NextInt64(-(1L << 40), 1L << 40);
        return NarrowAccumulator.Fit(v, bits, AccumulatorOverflow.Wrap) == NarrowAccumulationReference.Fit(v, bits, AccumulatorOverflow.Wrap)
            && NarrowAccumulator.Fit(v, bits, AccumulatorOverflow.Saturate) == NarrowAccumulationReference.Fit(v, bits, AccumulatorOverflow.Saturate);
    }

    [Property(MaxTest = 200)]
    public bool Wrap_AfterEveryAdd_EqualsExactSumWrappedOnce(int seed)
    {
        // Modular addition is associative: the order and the intermediate wraps cannot matter.
        var rng = new Random(seed);
        int bits = rng.Next(2, 33);
        long[] terms = [.. Enumerable.Range(0, rng.Next(0, 200)).Select(_ => (long)rng.Next(-65025, 65026))];
        int r = 0;
        foreach (long t in terms)
        {
            r = NarrowAccumulator.Add(r, t, bits, AccumulatorOverflow.Wrap);
        }

        return r == NarrowAccumulator.Fit(terms.Sum(), bits, AccumulatorOverflow.Wrap);
    }

    [Property(MaxTest = 200)]
    public bool Saturate_StaysInRangeAndEqualsReferenceOrder(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(2, 33);
        long[] terms = [.. Enumerable.Range(0, rng.Next(0, 200)).Select(_ => (long)rng.Next(-65025, 65026))];
        int r = NarrowAccumulator.Fit(7, bits, AccumulatorOverflow.Saturate);
        foreach (long t in terms)
        {
            r = NarrowAccumulator.Add(r, t, bits, AccumulatorOverflow.Saturate);
        }

        return r >= NarrowAccumulator.MinValue(bits) && r <= NarrowAccumulator.MaxValue(bits)
            && r == NarrowAccumulationReference.Accumulate(7, terms, bits, AccumulatorOverflow.Saturate);
    }

    [Property(MaxTest = 200)]
    public bool Saturate_WhenNoPartialSumOverflows_EqualsExactSum(int seed)
    {
        var rng = new Random(seed);
        long[] terms = [.. Enumerable.Range(0, rng.Next(0, 100)).Select(_ => (long)rng.Next(-65025, 65026))];
        // 100 products of 8-bit operands stay below 2^23: a 24-bit register never clamps.
        int r = 0;
        foreach (long t in terms)
        {
            r = NarrowAccumulator.Add(r, t, 24, AccumulatorOverflow.Saturate);
        }

        return r == terms.Sum();
    }

    [Property(MaxTest = 100)]
    public bool Saturate_NonNegativeTerms_GiveMinOfSumAndMax(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(2, 33);
        long[] terms = [.. Enumerable.Range(0, rng.Next(0, 100)).Select(_ => (long)rng.Next(0, 65026))];
        int r = 0;
        foreach (long t in terms)
        {
            r = NarrowAccumulator.Add(r, t, bits, AccumulatorOverflow.Saturate);
        }

        return r == Math.Min(terms.Sum(), NarrowAccumulator.MaxValue(bits));
    }

    [Fact]
    public void MatrixNumerics_RejectsWidthOutsideTwoToThirtyTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixNumerics { AccumulatorBits = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixNumerics { AccumulatorBits = 33 });
    }

    [Fact]
    public void MatrixNumerics_IsReference_OnlyForOrtArithmetic()
    {
        Assert.True(MatrixNumerics.Reference.IsReference);
        Assert.True(new MatrixNumerics { FixedPointRounding = ShiftRounding.Floor }.IsReference); // rounding unused by fp32
        Assert.False(new MatrixNumerics { Overflow = AccumulatorOverflow.Saturate }.IsReference);
        Assert.False(new MatrixNumerics { AccumulatorBits = 24 }.IsReference);
        Assert.False(new MatrixNumerics { Requantizer = RequantizerArithmetic.FixedPoint }.IsReference);
    }
}
