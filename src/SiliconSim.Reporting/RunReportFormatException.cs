namespace SiliconSim.Reporting;

/// <summary>
/// report.json is not valid JSON, names a schema other than <c>siliconsim.run/2</c> or <c>/1</c>, or does not follow it; the
/// message names the offending key.
/// </summary>
public sealed class RunReportFormatException : Exception
{
    public RunReportFormatException()
    {
    }

    public RunReportFormatException(string message)
        : base(message)
    {
    }

    public RunReportFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
