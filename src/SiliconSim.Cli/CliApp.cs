using System.CommandLine;
using SiliconSim.Cli.Commands;
using SiliconSim.Cli.Io;

namespace SiliconSim.Cli;

/// <summary>
/// The command-line entry point, callable in-process by tests with captured writers. Exit codes: 0 success, 1 the job
/// ran but found failures (validate mismatches), 2 bad input (arguments, files), 3 an internal error.
/// </summary>
internal static class CliApp
{
    public const int Success = 0;
    public const int Failures = 1;
    public const int BadInput = 2;
    public const int InternalError = 3;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("SiliconSim: a cycle-level, bit-exact simulator of quantized-inference accelerators.")
        {
            ValidateCommand.Create(stdout),
            InspectCommand.Create(stdout),
            RunCommand.Create(stdout, stderr),
            DescribeCommand.Create(stdout, stderr),
            QuantizeCommand.Create(stdout),
            CompareCommand.Create(stdout),
            SweepCommand.Create(stdout, stderr),
            ReportCommand.Create(stdout),
            GenerateCommand.Create(stdout, stderr),
            VectorsCommand.Create(stdout),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"siliconsim: error: {error.Message}");
            }

            stderr.WriteLine("Run 'siliconsim --help' for usage.");
            return BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UserInputException e)
        {
            foreach (string line in e.Lines)
            {
                stderr.WriteLine($"siliconsim: error: {line}");
            }

            return BadInput;
        }
        catch (SiliconSim.Numerics.MemoryBudgetException e)
        {
            // A model asking for more memory than the budget (found while lowering, outside the pipeline): bad input.
            stderr.WriteLine($"siliconsim: error: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            // A bug, not bad input: one line with the type so it can be reported, never a stack trace.
            stderr.WriteLine($"siliconsim: internal error: {e.GetType().Name}: {e.Message}");
            return InternalError;
        }
    }
}
