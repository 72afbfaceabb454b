namespace SiliconSim.TestSupport;

/// <summary>The repository's root folder (the one holding SiliconSim.sln), found from the test binary upwards.</summary>
public static class RepositoryFolder
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
