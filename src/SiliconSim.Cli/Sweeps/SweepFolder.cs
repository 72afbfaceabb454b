using System.Text;
using SiliconSim.Cli.Io;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// What a sweep folder records about its sweep so <c>sweep merge DIR</c> knows the point set without being told the
/// spec: <c>sweep.yaml</c> (the spec, byte for byte) and <c>sweep.source</c> (the spec's absolute path, against whose
/// folder the spec's relative paths resolve). Every run into the folder checks it holds the same spec, so shards of two
/// different sweeps can never mix their points in one table.
/// </summary>
internal static class SweepFolder
{
    public const string SpecFile = "sweep.yaml";
    public const string SourceFile = "sweep.source";

    /// <summary>Records <paramref name="specPath"/>'s text in <paramref name="outDir"/>, or checks the one recorded is the same.</summary>
    /// <exception cref="UserInputException">the folder holds another sweep.</exception>
    public static void Record(string specPath, string specText, string outDir)
    {
        string copy = Path.Combine(outDir, SpecFile);
        if (File.Exists(copy))
        {
            if (File.ReadAllText(copy) != specText)
            {
                throw new UserInputException("--out", $"{outDir} holds another sweep ({copy} differs from {specPath}); use another --out folder");
            }

            return;
        }

        // Temp file and rename, as for points: shards starting together all write the same two files.
        Atomic(copy, specText);
        Atomic(Path.Combine(outDir, SourceFile), Path.GetFullPath(specPath) + "\n");
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
