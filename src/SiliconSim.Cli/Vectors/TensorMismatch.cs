namespace SiliconSim.Cli.Vectors;

/// <summary>One element that differs: its coordinates (named by the manifest's axes, plus tile and fold) and both values.</summary>
internal sealed record TensorMismatch(string Coordinates, double Golden, double Actual)
{
    public double Difference => Actual - Golden;
}
