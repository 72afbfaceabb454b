using System.Diagnostics;
using System.Globalization;
using System.Text;
using SiliconSim.Cli.Io;

namespace SiliconSim.Cli.Vectors;

/// <summary>
/// Runs a kernel's command through <c>/bin/sh</c> with a vector folder as its one argument (<c>sh -c 'COMMAND "$1"' sh DIR</c>),
/// capturing its output and bounding its time. A non-zero exit or a timeout is bad input naming the command, its exit
/// code and the tail of its output.
/// </summary>
internal static class KernelProcess
{
    /// <summary>Lines of output quoted when a kernel fails: enough for a compiler error or an assertion, short enough for one screen.</summary>
    public const int TailLines = 12;

    public static void Run(string option, string command, string folder, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command + " \"$1\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(Path.GetFullPath(folder));
        var output = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Enqueue(line);
                if (output.Count > TailLines)
                {
                    output.Dequeue();
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new UserInputException(option, $"cannot start /bin/sh for '{command}': {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw Failure(option, command, string.Create(CultureInfo.InvariantCulture, $"did not finish within {timeout.TotalSeconds:0.#} s and was stopped"), output);
        }

        process.WaitForExit(); // drains the redirected streams
        if (process.ExitCode != 0)
        {
            throw Failure(option, command, string.Create(CultureInfo.InvariantCulture, $"exited with code {process.ExitCode}"), output);
        }
    }

    private static UserInputException Failure(string option, string command, string what, Queue<string> output)
    {
        var lines = new List<string> { $"{option}: kernel command '{command}' {what}" + (output.Count == 0 ? " (no output)" : $"; its last {output.Count} lines of output:") };
        lock (output)
        {
            lines.AddRange(output.Select(l => "  | " + Clip(l)));
        }

        return new UserInputException(lines);
    }

    private static string Clip(string line) => line.Length > 200 ? new StringBuilder(line, 0, 200, 201).Append('…').ToString() : line;
}
