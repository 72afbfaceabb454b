namespace SiliconSim.Cli.Validation;

/// <summary>An ONNX test-case folder: <c>model.onnx</c> and one or more <c>test_data_set_N</c> folders.</summary>
/// <param name="Name">The folder's name, or its path relative to the searched root when that is more telling.</param>
/// <param name="Folder">The case folder.</param>
internal sealed record TestCase(string Name, string Folder)
{
    public string ModelPath => Path.Combine(Folder, "model.onnx");

    /// <summary>The data sets in numeric order.</summary>
    public IReadOnlyList<string> DataSets =>
        [.. Directory.GetDirectories(Folder, "test_data_set_*").OrderBy(d => Index(Path.GetFileName(d)))];

    /// <summary>Files named <paramref name="prefix"/>N.pb in numeric order of N.</summary>
    public static IReadOnlyList<string> NumberedFiles(string folder, string prefix) =>
        [.. Directory.GetFiles(folder, prefix + "*.pb").OrderBy(f => Index(Path.GetFileNameWithoutExtension(f)))];

    private static int Index(string name)
    {
        int underscore = name.LastIndexOf('_');
        return int.TryParse(name.AsSpan(underscore + 1), System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue;
    }
}
