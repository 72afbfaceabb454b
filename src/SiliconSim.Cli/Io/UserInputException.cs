namespace SiliconSim.Cli.Io;

/// <summary>Bad input from the user: a file that is missing, unreadable or malformed. The CLI prints it as one line
/// naming the file and exits non-zero; it never becomes a stack trace.</summary>
internal sealed class UserInputException : Exception
{
    public UserInputException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }

    public string Problem { get; }
}
