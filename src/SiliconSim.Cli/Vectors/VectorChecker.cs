using System.Globalization;
using SiliconSim.Numerics;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// Compares a kernel's dumps with golden vectors element by element. Integer tensors must match exactly; float tensors
/// within <c>|actual − golden| ≤ atol + rtol · |golden|</c> (NaN matches NaN only).
/// </summary>
internal static class VectorChecker
{
    public static TensorCheck Compare(VectorFileEntry entry, TensorValue golden, TensorValue actual, double atol, double rtol)
    {
        ArgumentNullException.ThrowIfNull(entry);
        double[] g = Values(golden), a = Values(actual);
        bool isFloat = golden.Type == DataType.Float;
        int channelAxis = Array.FindIndex(entry.Axes, x => x is "c" or "col");
        var channelMismatch = new SortedDictionary<int, long>();
        var first = new List<TensorMismatch>();
        long[] histogram = new long[TensorCheck.BucketNames.Length];
        long mismatches = 0;
        int[] shape = entry.Shape;
        for (int i = 0; i < g.Length; i++)
        {
            bool equal = isFloat
                ? (double.IsNaN(g[i]) && double.IsNaN(a[i])) || Math.Abs(a[i] - g[i]) <= atol + (rtol * Math.Abs(g[i]))
                : a[i] == g[i];
            if (equal)
            {
                continue;
            }

            mismatches++;
            int[] index = Unflatten(i, shape);
            if (first.Count < TensorCheck.ShownMismatches)
            {
                first.Add(new TensorMismatch(Coordinates(entry, index), g[i], a[i]));
            }

            double d = Math.Abs(a[i] - g[i]);
            int bucket = Array.FindIndex(TensorCheck.Buckets, b => d < b);
            histogram[bucket < 0 || double.IsNaN(d) ? histogram.Length - 1 : bucket]++;
            if (channelAxis >= 0)
            {
                int c = index[channelAxis];
                channelMismatch[c] = channelMismatch.GetValueOrDefault(c) + 1;
            }
        }

        long perChannel = channelAxis >= 0 && shape[channelAxis] > 0 ? g.Length / shape[channelAxis] : 0;
        return new TensorCheck(entry, g.Length, mismatches, first, histogram, [.. channelMismatch.Select(kv => (kv.Key, kv.Value, perChannel))]);
    }

    /// <summary>"(n=0, c=3, h=2, w=5, tile=4, fold=1)": the element's index along each named axis, then its tile and fold.</summary>
    public static string Coordinates(VectorFileEntry entry, int[] index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var parts = entry.Axes.Select((axis, d) => string.Create(CultureInfo.InvariantCulture, $"{axis}={index[d]}")).ToList();
        if (entry.Tile is int t)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tile={t}"));
        }

        if (entry.Fold is int f)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"fold={f}"));
        }

        return "(" + string.Join(", ", parts) + ")";
    }

    private static double[] Values(TensorValue t) => SiliconSim.Simulation.Vectors.TensorCodes.Doubles(t);

    private static int[] Unflatten(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }

        return index;
    }
}
