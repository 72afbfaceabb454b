using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The zoo models as ONNX test cases (model.onnx + test_data_set_0/input_0.pb, output_0.pb with ORT's outputs), the
/// layout `siliconsim validate` reads. The generator writes them to a temporary folder on every run, and to the folder
/// named by SILICONSIM_WRITE_ZOO when set (how workloads/zoo was made:
/// <c>SILICONSIM_WRITE_ZOO=$PWD/workloads/zoo dotnet test tests/SiliconSim.Conformance.Tests --filter ZooCaseGenerator</c>).
/// The committed cases under workloads/zoo are checked to be what the generator makes and to pass.
/// </summary>
public sealed class ZooCaseGeneratorTests
{
    public static TheoryData<string, string> Cases() => ZooModelTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_WritesACaseThatValidatesBitForBit(string model, string form)
    {
        string name = $"{model}_{form}";
        string folder = Path.Combine(Path.GetTempPath(), "siliconsim-zoo-" + Guid.NewGuid().ToString("N"), name);
        try
        {
            ZooCases.Write(folder, model, form);
            AssertPasses(folder);
            if (Environment.GetEnvironmentVariable("SILICONSIM_WRITE_ZOO") is { Length: > 0 } target)
            {
                ZooCases.Write(Path.Combine(target, name), model, form);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CommittedCase_IsWhatTheGeneratorMakes_AndPasses(string model, string form)
    {
        string folder = Path.Combine(Repository.Root, "workloads", "zoo", $"{model}_{form}");
        Assert.True(Directory.Exists(folder), $"{folder} is missing; regenerate workloads/zoo (see the class summary)");
        Assert.Equal(ZooCases.Model(model, form), File.ReadAllBytes(Path.Combine(folder, "model.onnx")));
        AssertPasses(folder);
    }

    private static void AssertPasses(string folder)
    {
        var testCase = OnnxTestCase.Load(folder);
        var actual = testCase.Run();
        Assert.Equal(testCase.Expected.Count, actual.Count);
        for (int k = 0; k < actual.Count; k++)
        {
            var c = TensorComparison.Compare(actual[k], testCase.Expected[k]);
            Assert.True(c.Passed, $"{testCase.Name} output {k}: {c.Mismatches}/{c.Elements} mismatches, max |diff| {c.MaxAbsDiff} {c.Problem}");
        }
    }

}
