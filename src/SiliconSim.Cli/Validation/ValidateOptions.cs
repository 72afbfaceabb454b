namespace SiliconSim.Cli.Validation;

/// <summary>Settings of one `validate` run.</summary>
/// <param name="RelativeTolerance">rtol for float outputs; 0 means bit-exact (the default: goldens come from ORT).</param>
/// <param name="AbsoluteTolerance">atol for float outputs.</param>
/// <param name="Labels">Class labels for the accuracy line, or null.</param>
internal sealed record ValidateOptions(double RelativeTolerance, double AbsoluteTolerance, int[]? Labels);
