namespace SiliconSim.TestSupport;

/// <summary>The repository checkout the tests run from, found by walking up from the test binary to SiliconSim.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiliconSim.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SiliconSim.sln was not found above the test binary");
    }
}
