using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Quantized;

/// <summary>Seeded generators of quantized tensors and parameters for the differential tests.</summary>
internal sealed class QuantGen
{
    private readonly Random _rng;

    public QuantGen(int seed) => _rng = new Random(seed);

    public int Int(int min, int maxInclusive) => _rng.Next(min, maxInclusive + 1);

    public bool Bool() => _rng.Next(2) == 0;

    public TensorValue Codes(DataType type, params int[] shape)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return type == DataType.UInt8
            ? TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (byte)_rng.Next(256)).ToArray())
            : TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (sbyte)_rng.Next(-128, 128)).ToArray());
    }

    public TensorValue ZeroPoint(DataType type, params int[] shape)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return type == DataType.UInt8
            ? TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (byte)_rng.Next(256)).ToArray())
            : TensorValue.Create(type, shape, Enumerable.Range(0, n).Select(_ => (sbyte)_rng.Next(-128, 128)).ToArray());
    }

    /// <summary>
    /// A scale: half the time a power of two (so fp32 products of integers land exactly on k + 0.5 and exercise the
    /// half-to-even rule), otherwise a random positive float of moderate size.
    /// </summary>
    public float Scale(float magnitude = 1f)
    {
        if (Bool())
        {
            return magnitude * MathF.Pow(2, -_rng.Next(0, 6));
        }

        return magnitude * (float)(0.05 + (_rng.NextDouble() * 1.5));
    }

    public TensorValue Scales(int count, float magnitude = 1f) =>
        TensorValue.Create(DataType.Float, count == 0 ? [] : [count], Enumerable.Range(0, Math.Max(count, 1)).Select(_ => Scale(magnitude)).ToArray());

    public static TensorValue FloatScalar(float v) => TensorValue.Create(DataType.Float, [], new[] { v });

    public static TensorValue Scalar(DataType type, int v) =>
        type == DataType.UInt8 ? TensorValue.Create(type, [], new[] { (byte)v }) : TensorValue.Create(type, [], new[] { (sbyte)v });

    public TensorValue Int32s(int min, int max, params int[] shape)
    {
        int n = (int)ShapeMath.ElementCount(shape);
        return TensorValue.Create(DataType.Int32, shape, Enumerable.Range(0, n).Select(_ => _rng.Next(min, max)).ToArray());
    }
}
