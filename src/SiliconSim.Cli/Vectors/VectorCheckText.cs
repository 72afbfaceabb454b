using System.Globalization;

namespace SiliconSim.Cli.Vectors;

/// <summary>Renders tensor checks: one line per matching tensor; for a mismatching one its first coordinates, the
/// histogram of |differences| and the channels affected.</summary>
internal static class VectorCheckText
{
    public static void Print(IReadOnlyList<TensorCheck> checks, TextWriter stdout)
    {
        foreach (TensorCheck c in checks)
        {
            string name = $"{c.Entry.Layer} {c.Entry.Tensor}";
            if (c.Mismatches == 0)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"match     {name}: {c.Elements} elements"));
                continue;
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MISMATCH  {name}: {c.Mismatches} of {c.Elements} elements differ ({c.Entry.File})"));
            foreach (TensorMismatch m in c.First)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    at {m.Coordinates}: golden {m.Golden:G9}, actual {m.Actual:G9} (diff {m.Difference:+0.#########;-0.#########})"));
            }

            var buckets = c.Histogram.Select((n, i) => (n, i)).Where(b => b.n > 0).Select(b => string.Create(CultureInfo.InvariantCulture, $"{TensorCheck.BucketNames[b.i]}: {b.n}"));
            stdout.WriteLine($"    |diff| histogram: {string.Join(", ", buckets)}");
            if (c.Channels.Count > 0)
            {
                var shown = c.Channels.OrderByDescending(ch => ch.Mismatches).ThenBy(ch => ch.Channel).Take(8)
                    .Select(ch => string.Create(CultureInfo.InvariantCulture, $"{ch.Channel}: {ch.Mismatches}/{ch.Elements}"));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    channels with mismatches: {c.Channels.Count} ({string.Join(", ", shown)}{(c.Channels.Count > 8 ? ", …" : string.Empty)})"));
            }
        }

        long bad = checks.Count(c => c.Mismatches > 0);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{checks.Count} tensors compared, {bad} with mismatches"));
    }
}
