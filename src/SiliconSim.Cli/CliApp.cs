namespace SiliconSim.Cli;

/// <summary>The command-line entry point, callable in-process by tests with captured writers.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        _ = args;
        _ = stdout;
        stderr.WriteLine("siliconsim: no commands yet");
        return 2;
    }
}
