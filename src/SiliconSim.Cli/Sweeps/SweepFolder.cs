using System.Text;
using SiliconSim.Cli.Io;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// What a sweep folder records about its sweep so <c>sweep merge DIR</c> knows the point set without being told the
/// spec: <c>sweep.yaml</c> (the spec's text) and <c>sweep.source</c> (the spec's absolute path, against whose folder
/// the spec's relative paths resolve). The latest run into the folder defines the sweep it holds: an edited spec rerun
/// into the same folder replaces the record (stored points are keyed by their resolved config, model and evaluation,
/// so those the edit left unchanged are reused and no other point's outcome can reach the tables).
/// </summary>
internal static class SweepFolder
{
    public const string SpecFile = "sweep.yaml";
    public const string SourceFile = "sweep.source";

    /// <summary>Records <paramref name="specPath"/>'s text in <paramref name="outDir"/>; true when it replaced another sweep's.</summary>
    public static bool Record(string specPath, string specText, string outDir)
    {
        string copy = Path.Combine(outDir, SpecFile);
        string source = Path.GetFullPath(specPath) + "\n";
        string sourceFile = Path.Combine(outDir, SourceFile);
        bool existed = File.Exists(copy);
        if (existed && File.ReadAllText(copy) == specText && File.Exists(sourceFile) && File.ReadAllText(sourceFile) == source)
        {
            return false;
        }

        // Temp file and rename, as for points: shards starting together all write the same two files.
        Atomic(copy, specText);
        Atomic(sourceFile, source);
        return existed;
    }

    /// <summary>The recorded spec text and the path it is resolved as.</summary>
    /// <exception cref="UserInputException">the folder records no sweep.</exception>
    public static (string Text, string Source) Read(string outDir)
    {
        string copy = Path.Combine(outDir, SpecFile);
        string source = Path.Combine(outDir, SourceFile);
        if (!File.Exists(copy) || !File.Exists(source))
        {
            throw new UserInputException("DIR", $"{outDir} records no sweep (no {SpecFile} and {SourceFile}); it must be the --out folder of `siliconsim sweep`");
        }

        return (File.ReadAllText(copy), File.ReadAllText(source).TrimEnd('\n'));
    }

    private static void Atomic(string path, string text)
    {
        string temp = $"{path}.{Environment.MachineName}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }
}
