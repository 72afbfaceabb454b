namespace SiliconSim.Cli.Sweeps;

/// <summary>Run settings of one sweep: where to write, how many workers.</summary>
internal sealed record SweepOptions(string SpecPath, string OutDir, int Jobs);
