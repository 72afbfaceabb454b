using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SiliconSim.Cli.Io;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// The Slurm commands a submission needs, run as child processes: <c>sbatch --parsable</c> (prints the job id) and
/// <c>scontrol show job</c> (a job's state and exit code, which it keeps for MinJobAge after the job ends, and which,
/// unlike <c>sacct</c>, needs no accounting database).
/// </summary>
internal static partial class SlurmClient
{
    /// <summary>Job states after which a job never runs again.</summary>
    private static readonly string[] s_finalStates = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE"];

    /// <summary>Submits <paramref name="script"/> with <paramref name="options"/>; returns the job id.</summary>
    /// <exception cref="UserInputException">sbatch is missing or refuses the job (its message is kept).</exception>
    public static long Submit(string script, params string[] options)
    {
        var (exit, output, error) = Run("sbatch", ["--parsable", .. options, script]);
        string first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;

        // --parsable prints "id" or "id;cluster".
        if (exit != 0 || !long.TryParse(first.Split(';')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            throw new UserInputException("--slurm", $"sbatch {string.Join(' ', options)} {script} failed (exit {exit}): {error.Trim()}{output.Trim()}");
        }

        return id;
    }

    /// <summary>Polls <paramref name="job"/> every <paramref name="poll"/> until it ends; returns its final state and exit code.</summary>
    public static (string State, int ExitCode) WaitFor(long job, TimeSpan poll, CancellationToken cancel)
    {
        while (true)
        {
            var (exit, output, error) = Run("scontrol", ["show", "job", "-o", job.ToString(CultureInfo.InvariantCulture)]);
            if (exit != 0)
            {
                // Gone from the controller's memory (MinJobAge passed): the end state is no longer known.
                return ($"UNKNOWN ({error.Trim()})", -1);
            }

            Match state = StatePattern().Match(output);
            if (state.Success && s_finalStates.Contains(state.Groups[1].Value))
            {
                Match code = ExitPattern().Match(output);
                return (state.Groups[1].Value, code.Success ? int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture) : -1);
            }

            if (cancel.WaitHandle.WaitOne(poll))
            {
                return ("WAIT CANCELLED", -1);
            }
        }
    }

    private static (int Exit, string Output, string Error) Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (Win32Exception e)
        {
            throw new UserInputException("--slurm", $"cannot run {program} ({e.Message}): submitting needs the Slurm client commands on PATH (or use --dry-run to only write the scripts)");
        }
    }

    [GeneratedRegex(@"\bJobState=(\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex StatePattern();

    [GeneratedRegex(@"\bExitCode=(\d+):", RegexOptions.CultureInvariant)]
    private static partial Regex ExitPattern();
}
