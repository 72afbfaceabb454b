namespace SiliconSim.Simulation.Numerics;

/// <summary>How one graph output under the hardware numerics drifted from its golden (ORT) value.</summary>
/// <param name="Name">The graph output's name.</param>
/// <param name="Elements">Elements compared.</param>
/// <param name="Mismatches">Elements whose values differ (exact comparison; NaN equals NaN).</param>
/// <param name="MaxAbsDiff">The largest |actual − golden| over finite pairs.</param>
/// <param name="Rows">Rows of the top-1 view (an output [rows, classes...] read as [rows, rest]); 0 when the output has
/// rank below 2 or could not be compared, and then the top-1 counts are null.</param>
/// <param name="Top1AgreeWithGolden">Rows whose arg-max equals the golden's.</param>
/// <param name="Top1CorrectActual">Rows whose arg-max equals the label; null without labels.</param>
/// <param name="Top1CorrectGolden">Rows whose golden arg-max equals the label; null without labels.</param>
/// <param name="Problem">Why the output could not be compared (type or shape differ), else null.</param>
public sealed record OutputDrift(
    string Name,
    long Elements,
    long Mismatches,
    double MaxAbsDiff,
    int Rows,
    int? Top1AgreeWithGolden,
    int? Top1CorrectActual,
    int? Top1CorrectGolden,
    string? Problem)
{
    /// <summary>Mismatches / Elements (0 for an empty output).</summary>
    public double MismatchRate => Elements == 0 ? 0 : (double)Mismatches / Elements;

    /// <summary>Top-1 agreement with the golden as a fraction of rows, or null.</summary>
    public double? Top1Agreement => Rows == 0 || Top1AgreeWithGolden is null ? null : (double)Top1AgreeWithGolden / Rows;
}
