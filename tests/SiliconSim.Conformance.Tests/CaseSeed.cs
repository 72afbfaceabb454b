namespace SiliconSim.Conformance.Tests;

/// <summary>A seed drawn from the whole int range (FsCheck's plain ints stay near zero and repeat), from which a
/// differential property builds its shapes, scales and values; printed so a failing case can be replayed.</summary>
public sealed record CaseSeed(int Value)
{
    public override string ToString() => $"seed {Value}";
}
