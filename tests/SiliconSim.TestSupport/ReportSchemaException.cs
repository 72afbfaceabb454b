namespace SiliconSim.TestSupport;

/// <summary>A report.json does not follow reports/run-report.schema.json; the message lists the violations.</summary>
public sealed class ReportSchemaException : Exception
{
    public ReportSchemaException()
    {
    }

    public ReportSchemaException(string message)
        : base(message)
    {
    }

    public ReportSchemaException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
