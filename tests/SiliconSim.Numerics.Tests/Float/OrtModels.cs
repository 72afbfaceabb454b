using Microsoft.ML.OnnxRuntime;
using SiliconSim.Numerics;
using SiliconSim.TestSupport;

namespace SiliconSim.Numerics.Tests.Float;

/// <summary>Builds single-op float graphs and runs them through ONNX Runtime for the differential tests.</summary>
internal static class OrtModels
{
    /// <summary>How the weight tensor reaches the op: a runtime graph input, a constant initializer, or DequantizeLinear
    /// of an int8 initializer (as in quantized graphs, where ORT does not constant-fold the DQ).</summary>
    public enum WeightSource
    {
        GraphInput,
        Constant,
        Dequantized,
        DequantizedKept,
    }

    public static float[] RandomFloats(Random rng, int count, float scale = 1f)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++)
        {
            a[i] = (float)((rng.NextDouble() * 2) - 1) * scale;
        }

        return a;
    }

    /// <summary>int8 codes and a scale; the float weights are (q − 0)·scale, exactly what DequantizeLinear yields.</summary>
    public static (sbyte[] Codes, float Scale, float[] Values) RandomDequantized(Random rng, int count)
    {
        float scale = 0.0123f;
        var q = new sbyte[count];
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            q[i] = (sbyte)rng.Next(-127, 128);
            v[i] = q[i] * scale;
        }

        return (q, scale, v);
    }

    /// <summary>Adds weight <paramref name="name"/> to the builder the chosen way; returns the feed list entry if any.</summary>
    public static void AddWeight(OnnxBuilder b, List<(string, TensorValue)> feeds, string name, int[] shape, WeightSource source, Random rng, out float[] values)
    {
        int count = (int)ShapeMath.ElementCount(shape);
        switch (source)
        {
            case WeightSource.GraphInput:
                values = RandomFloats(rng, count, 0.5f);
                b.Input(name, DataType.Float, shape.Select(d => (int?)d).ToArray());
                feeds.Add((name, TensorValue.FromFloats(shape, values)));
                break;
            case WeightSource.Constant:
                values = RandomFloats(rng, count, 0.5f);
                b.Initializer(name, TensorValue.FromFloats(shape, values));
                break;
            default:
                (sbyte[] q, float scale, float[] v) = RandomDequantized(rng, count);
                values = v;
                b.Initializer(name + "_q", TensorValue.Create(DataType.Int8, shape, q));
                b.Initializer(name + "_s", TensorValue.Scalar(DataType.Float, scale));
                b.Initializer(name + "_z", TensorValue.Scalar(DataType.Int8, (sbyte)0));
                b.Node("DequantizeLinear", [name + "_q", name + "_s", name + "_z"], [name]);
                if (source == WeightSource.DequantizedKept)
                {
                    // A DQ whose output is also a graph output is not folded into MatMulNBits by ORT.
                    b.Output(name, DataType.Float);
                }

                break;
        }
    }

    public static TensorValue Run(OnnxBuilder b, List<(string, TensorValue)> feeds, GraphOptimizationLevel level) =>
        OrtOracle.Run(b.ToBytes(), feeds, level).First(o => o.Name == "y").Value;

    /// <summary>Number of elements whose bits differ.</summary>
    public static int BitMismatches(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            return Math.Max(expected.Length, actual.Length);
        }

        int bad = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                bad++;
            }
        }

        return bad;
    }
}
