using FsCheck;
using FsCheck.Fluent;

namespace SiliconSim.Conformance.Tests;

/// <summary>FsCheck generators for the differential properties against ONNX Runtime.</summary>
public static class CaseSeedGenerators
{
    public static Arbitrary<CaseSeed> Seeds() => Arb.From(Gen.Choose(0, int.MaxValue).Select(v => new CaseSeed(v)));
}
