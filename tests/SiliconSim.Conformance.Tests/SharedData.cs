namespace SiliconSim.Conformance.Tests;

/// <summary>The shared test data beside the project root (../shared/data).</summary>
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

        throw new DirectoryNotFoundException("../shared/data was not found above the test binary");
    }
}
