namespace SiliconSim.Cli.Io;

/// <summary>
/// Checks an output folder before any work starts: it is created now (so <c>--out /proc/x</c> or a read-only place
/// fails in a second, not after the simulation), and an existing file in its place is refused.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> if needed; <paramref name="option"/> names it in the error.</summary>
    /// <exception cref="UserInputException">it is a file, or cannot be created.</exception>
    public static void Prepare(string folder, string option)
    {
        if (File.Exists(folder))
        {
            throw new UserInputException(option, $"{folder} is a file, not a folder");
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserInputException(option, $"cannot create the folder {folder} ({e.Message})");
        }
    }

    /// <summary>Checks that <paramref name="file"/> can be written: its folder is created and it is not a folder itself.</summary>
    /// <exception cref="UserInputException">it is a folder, or its folder cannot be created.</exception>
    public static void PrepareFile(string file, string option)
    {
        if (Directory.Exists(file))
        {
            throw new UserInputException(option, $"{file} is a folder, not a file");
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null)
        {
            Prepare(folder, option);
        }
    }
}
