namespace SiliconSim.Cli.Io;

/// <summary>Bad input from the user: a file that is missing, unreadable or malformed. The CLI prints it as one line
/// naming the file (one line per problem when there are several) and exits non-zero; it never becomes a stack trace.</summary>
internal sealed class UserInputException : Exception
{
    public UserInputException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
        Lines = [Message];
    }

    /// <summary>Problems that already name their file (e.g. located config diagnostics), one per line.</summary>
    public UserInputException(IReadOnlyList<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
        Path = string.Empty;
        Problem = Message;
        Lines = lines;
    }

    /// <summary>A problem whose text already names its file (<c>file:line:column: ...</c>).</summary>
    public UserInputException(string message)
        : this([message])
    {
    }

    public string Path { get; }

    public string Problem { get; }

    /// <summary>The problems, one line each, as the CLI prints them.</summary>
    public IReadOnlyList<string> Lines { get; }
}
