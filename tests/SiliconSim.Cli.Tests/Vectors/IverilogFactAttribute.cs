namespace SiliconSim.Cli.Tests.Vectors;

/// <summary>A fact skipped, with the reason, where Icarus Verilog is not installed (CI installs it: .ci/run).</summary>
public sealed class IverilogFactAttribute : FactAttribute
{
    public IverilogFactAttribute()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(p => File.Exists(Path.Combine(p, "iverilog")));
        if (!found)
        {
            Skip = "iverilog is not installed (apt-get install iverilog); examples/rtl/run.sh needs it";
        }
    }
}
