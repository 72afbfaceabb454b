namespace SiliconSim.Benchmarks;

/// <summary>Finds the repository's workloads/scalesim/ folder above the benchmark binary.</summary>
internal static class ScaleSimWorkloads
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "workloads", "scalesim");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("workloads/scalesim was not found above the benchmark binary");
    }
}
