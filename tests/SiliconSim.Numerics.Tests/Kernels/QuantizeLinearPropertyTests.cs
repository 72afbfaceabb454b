using FsCheck.Xunit;
using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

public sealed class QuantizeLinearPropertyTests
{
    private static readonly DataType[] s_allTargets = [.. Generators.IntegerTargets, .. Generators.FloatTargets];

    private static DataType Pick(int seed) => s_allTargets[(int)((uint)seed % (uint)s_allTargets.Length)];

    [Property(MaxTest = 200)]
    public void Quantize_KernelEqualsScalarReference(int seed)
    {
        DataType type = Pick(seed);
        QuantCase c = Generators.Case(seed, type);
        bool saturate = (seed & 8) == 0;
        TensorValue q = QuantizeLinear.Run(c.XTensor, c.ScaleTensor, c.ZeroPointTensor, type, c.Axis, c.BlockSize, saturate);
        int[] expected = QuantizationReference.Quantize(c.X, c.Shape, c.Scale, c.ScaleShape, c.ZeroPoint?.Select(v => (float)v).ToArray(), type, c.Axis, c.BlockSize, saturate);
        Assert.Equal(expected, Ints(q));
    }

    [Property(MaxTest = 200)]
    public void Dequantize_KernelEqualsScalarReference(int seed)
    {
        DataType type = Pick(seed);
        QuantCase c = Generators.Case(seed, type);
        var r = new Random(seed);
        int[] codes;
        TensorValue x;
        if (DataTypeInfo.IsInteger(type))
        {
            (long min, long max) = DataTypeInfo.IntegerRange(type);
            codes = c.X.Select(_ => (int)(min + (long)(r.NextDouble() * (max - min + 1)))).ToArray();
            x = QuantCase.IntTensor(type, c.Shape, codes);
        }
        else
        {
            codes = c.X.Select(_ => r.Next(MiniFloats.CodeCount(type))).ToArray();
            x = TensorValue.Create(type, c.Shape, codes.Select(v => (byte)v).ToArray());
        }

        float[] xs = DataTypeInfo.IsInteger(type) ? codes.Select(v => (float)v).ToArray() : codes.Select(v => MiniFloats.Decode(type, (byte)v)).ToArray();
        float[] y = DequantizeLinear.Run(x, c.ScaleTensor, c.ZeroPointTensor, DataType.Float, c.Axis, c.BlockSize).Items<float>();
        float[] expected = QuantizationReference.Dequantize(xs, c.Shape, c.Scale, c.ScaleShape, c.ZeroPoint?.Select(v => (float)v).ToArray(), c.Axis, c.BlockSize);
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), y.Select(BitConverter.SingleToUInt32Bits));
    }

    /// <summary>Law: per tensor, q is non-decreasing in x (integers by value, small floats by decoded value), for
    /// |x / s| below 2^31 where ORT's round-first paths would wrap.</summary>
    [Property(MaxTest = 100)]
    public void Quantize_IsMonotonicInX(int seed)
    {
        DataType type = Pick(seed);
        QuantCase c = Generators.Case(seed, type, mode: 0);
        float[] sorted = [.. c.X.Where(v => !float.IsNaN(v) && MathF.Abs(v / c.Scale[0]) < 2147483648f).Order()];
        TensorValue q = QuantizeLinear.Run(TensorValue.FromFloats([sorted.Length], sorted), c.ScaleTensor, c.ZeroPointTensor, type, saturate: (seed & 8) == 0);
        double[] values = DataTypeInfo.IsInteger(type) ? Ints(q).Select(v => (double)v).ToArray() : q.Items<byte>().Select(b => (double)MiniFloats.Decode(type, b)).ToArray();
        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(values[i] >= values[i - 1] || double.IsNaN(values[i]) || double.IsNaN(values[i - 1]), $"{c}: q[{i - 1}]={values[i - 1]} > q[{i}]={values[i]}");
        }
    }

    /// <summary>Law: per-tensor 8- and 16-bit quantization (MLAS) saturates at the type's range and never wraps,
    /// whatever the zero point, even beyond int32.</summary>
    [Property(MaxTest = 100)]
    public void Quantize_FarOutOfRange_SaturatesNeverWraps(int seed)
    {
        DataType[] wide = [DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16];
        DataType type = wide[(int)((uint)seed % (uint)wide.Length)];
        QuantCase c = Generators.Case(seed, type, mode: 0);
        (long min, long max) = DataTypeInfo.IntegerRange(type);
        float[] x = [1e30f, -1e30f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 3e9f, -3e9f];
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats([x.Length], x), c.ScaleTensor, c.ZeroPointTensor, type));
        Assert.Equal(new[] { max, min, max, min, max, min, max, min }, q.Select(v => (long)v));
    }

    /// <summary>Law: the zero point is exactly representable: DQ(zp) == 0 and Q(0) == Q(DQ(zp)) == zp.</summary>
    [Property(MaxTest = 100)]
    public void ZeroPoint_IsExactlyRepresentable(int seed)
    {
        DataType type = Generators.IntegerTargets[(int)((uint)seed % (uint)Generators.IntegerTargets.Length)];
        QuantCase c = Generators.Case(seed, type, withZeroPoint: true);
        TensorValue zpAsX = QuantCase.IntTensor(type, c.Shape, Enumerable.Range(0, c.X.Length)
            .Select(i => c.ZeroPoint![QuantizationReference.ParamIndex(c.Shape, c.ScaleShape, c.Axis, c.BlockSize, i)]).ToArray());
        float[] dq = DequantizeLinear.Run(zpAsX, c.ScaleTensor, c.ZeroPointTensor, DataType.Float, c.Axis, c.BlockSize).Items<float>();
        Assert.All(dq, v => Assert.Equal(0u, BitConverter.SingleToUInt32Bits(v)));
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats(c.Shape, dq), c.ScaleTensor, c.ZeroPointTensor, type, c.Axis, c.BlockSize));
        Assert.Equal(Ints(zpAsX), q);
    }

    /// <summary>Law: every integer target saturates for |x / s| below 2^31, in every layout.</summary>
    [Property(MaxTest = 100)]
    public void Quantize_BelowInt32Overflow_Saturates(int seed)
    {
        DataType type = Generators.IntegerTargets[(int)((uint)seed % (uint)Generators.IntegerTargets.Length)];
        QuantCase c = Generators.Case(seed, type);
        (long min, long max) = DataTypeInfo.IntegerRange(type);
        float[] x = c.X.Select((_, i) => ((i % 2 == 0) ? 1e9f : -1e9f) * c.Scale.Min()).ToArray();
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats(c.Shape, x), c.ScaleTensor, c.ZeroPointTensor, type, c.Axis, c.BlockSize));
        Assert.Equal(x.Select(v => v > 0 ? max : min), q.Select(v => (long)v));
    }

    [Fact]
    public void Quantize_Int4BeyondInt32AtMisalignedEdge_WrapsLikeOrt()
    {
        // 3 elements per tensor: elements 0-1 go through MLAS's S4 kernel (float clamp); element 2 ends the run at an
        // odd index and is rounded first, so cvt's 0x80000000 plus zp -3 wraps to a large positive value, clamped to 7.
        float[] x = [-1e30f, -1e30f, -1e30f];
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats([3], x), TensorValue.Scalar(DataType.Float, 1f), TensorValue.Scalar(DataType.Int4, (sbyte)-3), DataType.Int4));
        Assert.Equal(new[] { -8, -8, 7 }, q);
    }

    [Fact]
    public void Quantize_TiesRoundToEven()
    {
        float[] x = [0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f];
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats([6], x), TensorValue.Scalar(DataType.Float, 1f), null, DataType.Int8));
        Assert.Equal(new[] { 0, 2, 2, 0, -2, -2 }, q);
    }

    [Fact]
    public void Quantize_NaN_GivesQmin()
    {
        int[] q = Ints(QuantizeLinear.Run(TensorValue.FromFloats([1], [float.NaN]), TensorValue.Scalar(DataType.Float, 1f), TensorValue.Scalar(DataType.UInt8, (byte)10), DataType.UInt8));
        Assert.Equal(new[] { 0 }, q);
    }

    [Fact]
    public void DynamicQuantize_AllZero_GivesScaleOneZeroPointZero()
    {
        var (y, scale, zp) = DynamicQuantizeLinear.Run(TensorValue.FromFloats([3], [0f, 0f, 0f]));
        Assert.Equal(1f, scale.Items<float>()[0]);
        Assert.Equal((byte)0, zp.Items<byte>()[0]);
        Assert.Equal(new byte[] { 0, 0, 0 }, y.Items<byte>());
    }

    // Switch on the element type: a byte[] also matches an sbyte[] pattern in the CLR.
    internal static int[] Ints(TensorValue t) => t.Type switch
    {
        DataType.Int8 or DataType.Int4 or DataType.Int2 => t.Items<sbyte>().Select(v => (int)v).ToArray(),
        DataType.Int16 => t.Items<short>().Select(v => (int)v).ToArray(),
        DataType.UInt16 => t.Items<ushort>().Select(v => (int)v).ToArray(),
        DataType.Int32 => t.Items<int>(),
        _ => t.Items<byte>().Select(v => (int)v).ToArray(),
    };
}
