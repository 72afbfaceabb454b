using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRunner
{
    /// <summary>
    /// Runs <paramref name="args"/>. Every <c>report.json</c> a successful <c>run</c> writes is checked
    /// against the checked-in schema (reports/run-report.schema.json), so no test can write a report a script could not read.
    /// </summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr);
        if (exit is 0 or 1 && ReportWritten(args) is string report && File.Exists(report))
        {
            ReportSchema.AssertValid(report);
        }

        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <paramref name="args"/> without checking what it wrote (mutation runs feed it broken inputs).</summary>
    public static (int Exit, string Out, string Err) RunUnchecked(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string? ReportWritten(string[] args)
    {
        int at = Array.IndexOf(args, "--out");
        return args is ["run", ..] && at >= 0 && at + 1 < args.Length ? Path.Combine(args[at + 1], "report.json") : null;
    }
}
