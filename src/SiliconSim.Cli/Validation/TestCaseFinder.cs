using SiliconSim.Cli.Io;

namespace SiliconSim.Cli.Validation;

/// <summary>Finds test cases: a path that holds <c>model.onnx</c> is a case; any other folder is searched recursively.
/// The order is ordinal by path, so reports are stable across machines.</summary>
internal static class TestCaseFinder
{
    public static IReadOnlyList<TestCase> Find(IEnumerable<string> paths)
    {
        var cases = new List<TestCase>();
        foreach (string path in paths)
        {
            if (File.Exists(path) && Path.GetFileName(path) == "model.onnx")
            {
                string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                cases.Add(new TestCase(Path.GetFileName(folder), folder));
                continue;
            }

            if (!Directory.Exists(path))
            {
                throw new UserInputException(path, "no such folder (expected an ONNX test-case folder or a folder of them)");
            }

            var found = Directory.EnumerateFiles(path, "model.onnx", SearchOption.AllDirectories)
                .Select(f => Path.GetDirectoryName(f)!)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            if (found.Count == 0)
            {
                throw new UserInputException(path, "contains no model.onnx (expected an ONNX test-case folder or a folder of them)");
            }

            cases.AddRange(found.Select(f => new TestCase(Path.GetFileName(f), f)));
        }

        return cases;
    }
}
