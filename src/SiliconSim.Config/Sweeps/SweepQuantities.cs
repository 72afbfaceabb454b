using System.Collections.Immutable;
using SiliconSim.Config.Yaml;

namespace SiliconSim.Config.Sweeps;

/// <summary>
/// The derived quantities a constraint may name besides numeric config paths: <c>total_sram_kib</c> (the sum of every
/// buffer's <c>capacity_kib</c>) and <c>pe_count</c> (<c>array.rows * array.cols</c>).
/// </summary>
public static class SweepQuantities
{
    /// <summary>The derived quantity names, sorted.</summary>
    public static ImmutableArray<string> Names { get; } = ["pe_count", "total_sram_kib"];

    internal static double? Evaluate(YamlNode root, string name)
    {
        switch (name)
        {
            case "pe_count":
                return YamlPaths.Number(root, "array.rows") * YamlPaths.Number(root, "array.cols");
            case "total_sram_kib":
                if (YamlPaths.Find(root, "memory.buffers") is not YamlSequence buffers)
                {
                    return 0;
                }

                double sum = 0;
                for (int i = 0; i < buffers.Items.Length; i++)
                {
                    sum += YamlPaths.Number(root, $"memory.buffers[{i}].capacity_kib") ?? 0;
                }

                return sum;
            default:
                return YamlPaths.Number(root, name);
        }
    }
}
