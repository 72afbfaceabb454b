namespace SiliconSim.Config.Files;

/// <summary>
/// A file named by input that <see cref="InputFiles"/> refuses to read: missing, not a regular file, outside the folder
/// it must stay in, or larger than the bytes asked for. <see cref="Exception.Message"/> is the problem alone (the caller
/// names the file); it derives from <see cref="IOException"/> so readers that already turn I/O failures into located
/// diagnostics report it the same way.
/// </summary>
public sealed class InputFileException : IOException
{
    public InputFileException(string problem)
        : base(problem)
    {
    }

    public InputFileException()
    {
    }

    public InputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
