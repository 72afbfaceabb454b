using System.CommandLine;
using System.Globalization;
using SiliconSim.Cli.Io;
using SiliconSim.Numerics;

namespace SiliconSim.Cli;

/// <summary>
/// `--threads N`: how many threads the kernels of the commands that execute a model may use (issue 18); default every
/// core (<see cref="Parallelism.AllCores"/>). The values are the same bits for any N; only the time changes.
/// </summary>
internal static class ThreadsOption
{
    // Read as text so a bad value is one line naming the option, like every other bad input, not a parser message.
    public static Option<string?> Create() => new("--threads")
    {
        Description = "Threads the kernels may use (default: all cores). Outputs are identical for any count.",
    };

    /// <summary>The parallelism the option sets, or all cores without it.</summary>
    /// <exception cref="UserInputException">not a whole number of at least 1.</exception>
    public static Parallelism Parallelism(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not string text)
        {
            return Numerics.Parallelism.AllCores;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1)
        {
            throw new UserInputException("--threads", $"must be a whole number of at least 1, got '{text}'");
        }

        return new Numerics.Parallelism(threads);
    }
}
