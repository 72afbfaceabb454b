using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests;

/// <summary>
/// The ONNX backend node tests (../shared/data/onnx-node) through the whole pipeline: import, ORT-CPU lowering,
/// execution. Their expected outputs come from the ONNX reference implementation, so float outputs use the backend
/// tests' own tolerance (rtol 1e-3, atol 1e-7; onnx/backend/test/runner) and integer outputs must be equal.
/// Every case whose ops SiliconSim supports must pass; the count of supported cases may only grow.
/// </summary>
public sealed class OnnxNodeSuiteTests
{
    private const double BackendRtol = 1e-3;
    private const double BackendAtol = 1e-7;

    /// <summary>Node cases whose every op is supported: a floor that only rises.</summary>
    private const int MinimumSupported = 296;

    /// <summary>The cases whose every op SiliconSim supports; the others are counted, not run, below.</summary>
    public static TheoryData<string> SupportedCases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.OnnxNode).Order(StringComparer.Ordinal).Where(IsSupported))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SupportedCases))]
    public void SupportedCase_MatchesExpectedOutputs(string caseName)
    {
        var testCase = OnnxTestCase.Load(Path.Combine(SharedData.OnnxNode, caseName));
        var actual = testCase.Run();
        for (int k = 0; k < testCase.Expected.Count; k++)
        {
            var c = TensorComparison.Compare(actual[k], testCase.Expected[k], BackendRtol, BackendAtol);
            Assert.True(c.Passed, $"{caseName} output {k}: {c.Mismatches}/{c.Elements} mismatches, max |diff| {c.MaxAbsDiff} {c.Problem}");
        }
    }

    [Fact]
    public void SupportedCases_AreAtLeastTheFoundationSet()
    {
        int supported = Directory.GetDirectories(SharedData.OnnxNode).Count(IsSupported);
        // 175 of 296 at the foundation milestone, all 296 since; never lower it.
        Assert.True(supported >= MinimumSupported, $"only {supported} node cases are supported");
    }

    private static bool IsSupported(string folder) =>
        GraphExecutor.FindUnsupported(OrtCpuLowering.Lower(OnnxTestCase.Load(folder).Model)).Count == 0;
}
