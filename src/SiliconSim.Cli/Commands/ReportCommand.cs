using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Reporting;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim report DIR`: re-renders a run's charts (PNG and SVG) and report.html from DIR/report.json (schema
/// siliconsim.run/2, or the older /1). A missing or malformed report.json is bad input (exit 2).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("DIR") { Description = "A run's output folder holding report.json." };
        var command = new Command("report", "Re-render a run's charts and report.html from its report.json.") { dir };
        command.SetAction(parse => Execute(parse.GetValue(dir)!, stdout));
        return command;
    }

    private static int Execute(string dir, TextWriter stdout)
    {
        string path = Path.Combine(dir, RunReportFiles.JsonFileName);
        if (!File.Exists(path))
        {
            throw new UserInputException(path, "no such file (give the folder a `siliconsim run` wrote)");
        }

        RunReport report;
        try
        {
            report = RunReportFiles.Read(path);
        }
        catch (RunReportFormatException e)
        {
            throw new UserInputException(path, e.Message);
        }

        var written = RunReportFiles.Render(report, dir);
        int charts = written.Count(p => p.EndsWith(".png", StringComparison.Ordinal));
        stdout.WriteLine($"wrote {Path.Combine(dir, RunReportFiles.HtmlFileName)} and {charts} charts (PNG, SVG)");
        return CliApp.Success;
    }
}
