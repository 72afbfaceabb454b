using SiliconSim.Numerics;
using SiliconSim.TestSupport.Models;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>
/// The generator of the ResNet-18 test case (<see cref="ResNet18.WriteTestCase"/>: the QDQ s8s8 per-channel model,
/// a seeded batch-1 input and ONNX Runtime's logits, in the ONNX test-case layout `siliconsim validate` and `run` read).
/// Every run writes a 32x32 case to a temporary folder and checks SiliconSim reproduces it; with
/// <c>SILICONSIM_WRITE_RESNET18=DIR</c> in the environment it also writes the 224x224 case into DIR and checks it
/// (the model is ~12 MB, so it is not committed: <c>SILICONSIM_WRITE_RESNET18=/tmp/resnet18_qdq dotnet test
/// tests/SiliconSim.Conformance.Tests --filter ResNet18CaseGenerator</c>, then
/// <c>siliconsim run --model /tmp/resnet18_qdq --config tpu-v1</c>; workloads/zoo/README.md).
/// </summary>
public sealed class ResNet18CaseGeneratorTests
{
    public const string WriteVariable = "SILICONSIM_WRITE_RESNET18";

    [Fact]
    public void Generate_WritesACaseThatValidatesBitForBit()
    {
        string root = Path.Combine(Path.GetTempPath(), "siliconsim-resnet18-" + Guid.NewGuid().ToString("N"));
        try
        {
            string folder = Path.Combine(root, "resnet18_32");
            TensorValue expected = ResNet18.WriteTestCase(folder, 32);
            Assert.Equal([1, ResNet18.Classes], expected.Shape.ToArray());
            AssertPasses(folder, expected);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        if (Environment.GetEnvironmentVariable(WriteVariable) is { Length: > 0 } target)
        {
            AssertPasses(target, ResNet18.WriteTestCase(target));
        }

        // The QOperator u8s8 per-tensor form, whose convolutions all run quantized (the README's depth-first table).
        if (Environment.GetEnvironmentVariable(WriteVariable + "_QOP") is { Length: > 0 } qopTarget)
        {
            AssertPasses(qopTarget, ResNet18.WriteTestCase(qopTarget, qop: true));
        }
    }

    private static void AssertPasses(string folder, TensorValue expected)
    {
        Assert.Equal(["input_0.pb", "output_0.pb"], Directory.GetFiles(Path.Combine(folder, "test_data_set_0")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var testCase = OnnxTestCase.Load(folder);
        Assert.Equal(expected.Items<float>(), testCase.Expected.Single().Items<float>());
        TensorValue actual = testCase.Run().Single();
        var c = TensorComparison.Compare(actual, testCase.Expected[0]);
        Assert.True(c.Passed, $"{folder}: {c.Mismatches}/{c.Elements} mismatches, max |diff| {c.MaxAbsDiff} {c.Problem}");
    }
}
