using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.Decoder;

/// <summary>
/// Runs one ONNX model through ONNX Runtime (level ALL, one thread) and through SiliconSim's import, ORT lowering and
/// executor, and compares every graph output bit for bit (the sign of zero included).
/// </summary>
internal static class OrtDifferential
{
    /// <summary>The number of output elements whose bits differ, over all outputs; the first difference is described in
    /// <paramref name="first"/>.</summary>
    public static int Mismatches(OnnxBuilder model, IReadOnlyList<(string Name, TensorValue Value)> feeds, out string first, out long compared)
    {
        var expected = OrtOracle.Run(model.ToBytes(), feeds);
        return Compare(expected, RunOurs(model, feeds), out first, out compared);
    }

    /// <summary>SiliconSim's outputs: import, ORT lowering, executor.</summary>
    public static IReadOnlyList<(string Name, TensorValue Value)> RunOurs(OnnxBuilder model, IReadOnlyList<(string Name, TensorValue Value)> feeds)
    {
        ModelGraph lowered = OrtCpuLowering.Lower(OnnxModelReader.Import(model.Model));
        return GraphExecutor.Run(lowered, feeds.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));
    }

    /// <summary>Bitwise comparison of two output lists matched by name.</summary>
    public static int Compare(IReadOnlyList<(string Name, TensorValue Value)> expected, IReadOnlyList<(string Name, TensorValue Value)> actual, out string first, out long compared)
    {
        first = string.Empty;
        compared = 0;
        int bad = 0;
        var perOutput = new List<string>();
        foreach ((string name, TensorValue e) in expected)
        {
            int before = bad;
            TensorValue a = actual.Single(o => o.Name == name).Value;
            if (!a.Shape.SequenceEqual(e.Shape) || a.Type != e.Type)
            {
                first = first.Length > 0 ? first : $"{name}: ours {a}, ORT {e}";
                bad += e.Length;
                continue;
            }

            for (int i = 0; i < e.Length; i++)
            {
                bool same = e.Data is float[] ef
                    ? BitConverter.SingleToInt32Bits(ef[i]) == BitConverter.SingleToInt32Bits(a.Items<float>()[i])
                    : Equals(e.Data.GetValue(i), a.Data.GetValue(i));
                if (!same)
                {
                    if (first.Length == 0)
                    {
                        first = $"{name}[{i}]: ours {a.Data.GetValue(i):R}, ORT {e.Data.GetValue(i):R}";
                    }

                    bad++;
                }
            }

            compared += e.Length;
            perOutput.Add($"{name} {bad - before}/{e.Length}");
        }

        first = $"{first} ({string.Join(", ", perOutput)})";
        return bad;
    }

    /// <summary>Uniform floats in [-range, range) from <paramref name="rng"/>.</summary>
    public static TensorValue Floats(Random rng, int[] shape, double range)
    {
        var v = new float[(int)ShapeMath.ElementCount(shape)];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(((rng.NextDouble() * 2) - 1) * range);
        }

        return TensorValue.FromFloats(shape, v);
    }
}
