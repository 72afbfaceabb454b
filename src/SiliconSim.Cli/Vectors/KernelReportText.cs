using System.Globalization;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Cli.Vectors;

/// <summary>Renders co-simulation: each kernel's mismatches against SiliconSim, then what they did to the model's outputs.</summary>
internal static class KernelReportText
{
    public static void Print(IReadOnlyList<KernelReport> reports, IReadOnlyList<OutputDrift> drift, TextWriter stdout)
    {
        if (reports.Count == 0)
        {
            return;
        }

        stdout.WriteLine();
        stdout.WriteLine("Co-simulation");
        foreach (KernelReport r in reports)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kernel for {r.Layer}: {r.Command}"));
            VectorCheckText.Print(r.Checks, stdout);
        }

        foreach (OutputDrift d in drift)
        {
            string text = d.Problem is not null
                ? $"end-to-end {d.Name}: not comparable with the golden ({d.Problem})"
                : string.Create(CultureInfo.InvariantCulture, $"end-to-end {d.Name}: {d.Mismatches} of {d.Elements} elements differ from the golden (max |diff| {d.MaxAbsDiff:G6})");
            if (d.Top1AgreeWithGolden is int agree)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"; top-1 agreement {agree}/{d.Rows} ({(double)agree / d.Rows:P1})");
            }

            if (d.Top1CorrectActual is int correct && d.Top1CorrectGolden is int goldenCorrect)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"; accuracy {(double)correct / d.Rows:P1} (golden {(double)goldenCorrect / d.Rows:P1})");
            }

            stdout.WriteLine(text);
        }

        if (drift.Count == 0)
        {
            stdout.WriteLine("end-to-end: no golden outputs to compare with (pass a test-case folder)");
        }
    }
}
