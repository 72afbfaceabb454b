using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Numerics;

namespace SiliconSim.Cli;

/// <summary>`--max-memory-gib G`: the per-run memory budget of the commands that lower and execute a model (a tensor
/// may take a quarter of it); default 8 GiB (<see cref="MemoryBudget.DefaultPerRunBytes"/>, with its reason).</summary>
internal static class MaxMemoryOption
{
    public static Option<double?> Create() => new("--max-memory-gib")
    {
        Description = "Memory budget of one run in GiB; one tensor may take a quarter of it (default 8: 2 GiB per tensor, 8 GiB per run, which a laptop holds). A model over it is refused before allocating.",
    };

    /// <summary>The budget the option sets, or the default without it.</summary>
    /// <exception cref="UserInputException">not a positive number of GiB.</exception>
    public static MemoryBudget Budget(ParseResult parse, Option<double?> option)
    {
        if (parse.GetValue(option) is not double gib)
        {
            return MemoryBudget.Default;
        }

        try
        {
            return MemoryBudget.OfGiB(gib);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new UserInputException("--max-memory-gib", $"must be a positive number of GiB up to 1048576, got {gib}");
        }
    }
}
