namespace SiliconSim.Benchmarks;

/// <summary>Finds the repository's workloads/ folder above the benchmark binary.</summary>
internal static class Workloads
{
    public static string Digits { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "workloads", "digits");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("workloads/digits was not found above the benchmark binary");
    }
}
