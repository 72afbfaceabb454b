namespace SiliconSim.Graph.Tests;

/// <summary>The shared test data beside the project root (../shared/data), found by walking up from the test binary.</summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string Digits => Path.Combine(Root, "digits");

    public static string OnnxNode => Path.Combine(Root, "onnx-node");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "digits")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("../shared/data was not found above the test binary; the shared data must sit beside the project root");
    }
}
