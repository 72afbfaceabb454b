namespace SiliconSim.Config.Tests.Topology;

/// <summary>Finds workloads/scalesim above the test binary.</summary>
internal static class ScaleSimFiles
{
    private static readonly string s_root = Find();

    public static string Path(string relative) => System.IO.Path.Combine(s_root, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "workloads", "scalesim");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("workloads/scalesim was not found above the test binary");
    }
}
