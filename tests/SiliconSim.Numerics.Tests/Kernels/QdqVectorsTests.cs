using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The vectorised QuantizeLinear/DequantizeLinear against their scalar references (<see cref="QuantizeLinear.RunScalar"/>,
/// <see cref="DequantizeLinear.RunScalar"/>), bit for bit: every length across the vector blocks and tails, values
/// that stress the rounding (exact halves, NaN, ±Inf, beyond the range, -0), per tensor and per axis, on 1 to 3 threads.
/// </summary>
public sealed class QdqVectorsTests
{
    private static readonly Parallelism[] s_threads = [Parallelism.Single, new(2), new(3)];

    // Values around every rounding decision: halves of the scaled grid (ties to even both ways), just off them, the
    // clamp bounds, NaN, infinities, signed zeros and huge magnitudes.
    private static float[] Stress(int length, int seed, float scale)
    {
        var r = new Random(seed);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e30f, -1e30f, float.Epsilon, 3e9f, -3e9f];
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = r.Next(6) switch
            {
                0 => specials[r.Next(specials.Length)],
                1 => (r.Next(-300, 300) + 0.5f) * scale,
                2 => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((r.Next(-300, 300) + 0.5f) * scale) + r.Next(-1, 2)),
                _ => (float)((r.NextDouble() - 0.5) * 400 * scale),
            };
        }

        return x;
    }

    [Theory]
    [InlineData(DataType.Int8, 0)]
    [InlineData(DataType.Int8, -7)]
    [InlineData(DataType.UInt8, 0)]
    [InlineData(DataType.UInt8, 131)]
    public void Quantize_PerTensor_EqualsScalarReference_AtEveryLength(DataType type, int zeroPoint)
    {
        const float Scale = 0.37f;
        TensorValue s = TensorValue.Scalar(DataType.Float, Scale);
        TensorValue z = type == DataType.Int8 ? TensorValue.Scalar(type, (sbyte)zeroPoint) : TensorValue.Scalar(type, (byte)zeroPoint);
        for (int length = 0; length <= 140; length++)
        {
            TensorValue x = TensorValue.FromFloats([length], Stress(length, length, Scale));
            TensorValue expected = QuantizeLinear.RunScalar(x, s, z, type);
            foreach (Parallelism p in s_threads)
            {
                AssertSameBytes(expected, QuantizeLinear.Run(x, s, z, type, parallelism: p), $"length {length}, {p.MaxThreads} threads");
            }
        }
    }

    [Fact]
    public void Quantize_PerAxisLarge_EqualsScalarReference_OnEveryThreadCount()
    {
        // Large enough that the threads split it, with run boundaries inside the ranges.
        int[] shape = [3, 37, 1031];
        TensorValue x = TensorValue.FromFloats(shape, Stress(3 * 37 * 1031, 99, 0.05f));
        var r = new Random(4);
        TensorValue s = TensorValue.FromFloats([37], [.. Enumerable.Range(0, 37).Select(_ => (float)(0.01 + r.NextDouble()))]);
        TensorValue z = TensorValue.Create(DataType.UInt8, [37], Enumerable.Range(0, 37).Select(_ => (byte)r.Next(256)).ToArray());
        TensorValue expected = QuantizeLinear.RunScalar(x, s, z, DataType.UInt8, axis: 1);
        foreach (Parallelism p in s_threads)
        {
            AssertSameBytes(expected, QuantizeLinear.Run(x, s, z, DataType.UInt8, axis: 1, parallelism: p), $"{p.MaxThreads} threads");
        }
    }

    [Theory]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int32)]
    public void Dequantize_PerTensor_EqualsScalarReference_AtEveryLength(DataType type)
    {
        TensorValue s = TensorValue.Scalar(DataType.Float, 0.0123f);
        for (int length = 0; length <= 140; length++)
        {
            TensorValue x = Codes(type, [length], length);
            TensorValue z = Codes(type, [], length + 1000).Reshape([]);
            TensorValue expected = DequantizeLinear.RunScalar(x, s, z, DataType.Float);
            foreach (Parallelism p in s_threads)
            {
                AssertSameFloats(expected, DequantizeLinear.Run(x, s, z, DataType.Float, parallelism: p), $"{type} length {length}, {p.MaxThreads} threads");
            }
        }
    }

    [Theory]
    [InlineData(DataType.Int8, 0)]
    [InlineData(DataType.Int8, 1)]
    [InlineData(DataType.UInt8, 1)]
    [InlineData(DataType.Int8, 2)]
    public void Dequantize_PerAxis_EqualsScalarReference(DataType type, int axis)
    {
        // Axis 2 is the last: the per-element row path (MatMul weights per column).
        int[] shape = [5, 67, 133];
        TensorValue x = Codes(type, shape, 7);
        var r = new Random(axis);
        TensorValue s = TensorValue.FromFloats([shape[axis]], [.. Enumerable.Range(0, shape[axis]).Select(_ => (float)(1e-3 + r.NextDouble()))]);
        TensorValue z = Codes(type, [shape[axis]], 8);
        TensorValue expected = DequantizeLinear.RunScalar(x, s, z, DataType.Float, axis);
        foreach (Parallelism p in s_threads)
        {
            AssertSameFloats(expected, DequantizeLinear.Run(x, s, z, DataType.Float, axis, parallelism: p), $"axis {axis}, {p.MaxThreads} threads");
        }
    }

    [Fact]
    public void Dequantize_Int32_AboveTwoTo24_RoundsAsTheScalarCast()
    {
        // int -> fp32 rounds above 2^24, and (x - z) wraps: the vector conversion must round the same way.
        int[] values = [.. Enumerable.Range(0, 64).Select(i => (1 << 24) + (2 * i) + 1), int.MaxValue, int.MinValue, -16777217, 33554435];
        TensorValue x = TensorValue.Create(DataType.Int32, [values.Length], values);
        TensorValue z = TensorValue.Scalar(DataType.Int32, -5);
        TensorValue s = TensorValue.Scalar(DataType.Float, 1f);
        AssertSameFloats(DequantizeLinear.RunScalar(x, s, z, DataType.Float), DequantizeLinear.Run(x, s, z, DataType.Float), "int32");
    }

    private static TensorValue Codes(DataType type, int[] shape, int seed)
    {
        var r = new Random(seed);
        int n = (int)ShapeMath.ElementCount(shape);
        return type switch
        {
            DataType.Int8 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (sbyte)r.Next(-128, 128)).ToArray()),
            DataType.UInt8 => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (byte)r.Next(256)).ToArray()),
            _ => TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => r.Next(int.MinValue, int.MaxValue)).ToArray()),
        };
    }

    private static void AssertSameBytes(TensorValue expected, TensorValue actual, string what)
    {
        Assert.Equal(expected.Type, actual.Type);
        byte[] e = expected.Type == DataType.Int8 ? Array.ConvertAll(expected.Items<sbyte>(), v => unchecked((byte)v)) : expected.Items<byte>();
        byte[] a = actual.Type == DataType.Int8 ? Array.ConvertAll(actual.Items<sbyte>(), v => unchecked((byte)v)) : actual.Items<byte>();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(e[i] == a[i], $"{what}: element {i} is {a[i]}, the scalar reference gives {e[i]}");
        }

        Assert.Equal(e.Length, a.Length);
    }

    private static void AssertSameFloats(TensorValue expected, TensorValue actual, string what)
    {
        float[] e = expected.Items<float>(), a = actual.Items<float>();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]), $"{what}: element {i} is {a[i]}, the scalar reference gives {e[i]}");
        }
    }
}
