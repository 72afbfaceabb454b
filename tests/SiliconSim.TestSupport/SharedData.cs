namespace SiliconSim.TestSupport;

/// <summary>
/// The shared test data (../shared/data beside the project root, as on CI and every machine), found by walking up from
/// the test binary so that it works from any build output folder.
/// </summary>
public static class SharedData
{
    public static string Root { get; } = Find();

    /// <summary>The digits models and their data.</summary>
    public static string Digits => Path.Combine(Root, "digits");

    /// <summary>The ONNX backend node test cases.</summary>
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
