namespace SiliconSim.Reporting.Json;

/// <summary>report.json is not valid JSON or not schema siliconsim.run/1; the message names the offending key.</summary>
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
