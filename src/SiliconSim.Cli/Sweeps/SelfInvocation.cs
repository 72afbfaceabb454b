namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// The command line that runs the siliconsim now running, with absolute paths, for scripts that run later on other
/// machines (Slurm tasks): the apphost when this process is it (<c>siliconsim ...</c>), else the dotnet host with this
/// assembly (<c>dotnet siliconsim.dll ...</c>, as <c>dotnet run</c> and the test host run it). The host is this process
/// when it is dotnet, else the one the .NET CLI names in DOTNET_HOST_PATH, else the first dotnet on PATH.
/// </summary>
internal static class SelfInvocation
{
    /// <summary>The program and its leading arguments.</summary>
    /// <exception cref="Io.UserInputException">no dotnet host can be found.</exception>
    public static IReadOnlyList<string> Command()
    {
        string? process = Environment.ProcessPath;
        string assembly = typeof(CliApp).Assembly.Location;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(assembly))
        {
            return [Path.GetFullPath(process)];
        }

        string? host = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } named && File.Exists(named) ? named
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists);
        return host is null
            ? throw new Io.UserInputException("--slurm", "cannot find the dotnet host to run siliconsim.dll in the job scripts (set DOTNET_HOST_PATH, or run the siliconsim apphost)")
            : [Path.GetFullPath(host), Path.GetFullPath(assembly)];
    }
}
