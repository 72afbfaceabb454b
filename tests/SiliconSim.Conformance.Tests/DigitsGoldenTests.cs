using SiliconSim.Graph.IO;
using SiliconSim.Numerics;

namespace SiliconSim.Conformance.Tests;

/// <summary>
/// The digits models against ONNX Runtime's goldens (../shared/data/digits): every quantized case bit for bit, and the
/// top-1 accuracy on the 360 labelled test images equal to the golden's.
/// </summary>
public sealed class DigitsGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(SharedData.Digits).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_MatchesGoldenBitForBit(string caseName)
    {
        var testCase = OnnxTestCase.Load(Path.Combine(SharedData.Digits, caseName));
        var actual = testCase.Run();
        Assert.Equal(testCase.Expected.Count, actual.Count);
        for (int k = 0; k < actual.Count; k++)
        {
            var c = TensorComparison.Compare(actual[k], testCase.Expected[k]);
            Assert.True(c.Passed, $"{caseName} output {k}: {c.Mismatches}/{c.Elements} mismatches, max |diff| {c.MaxAbsDiff} {c.Problem}");
            AssertSameBits(actual[k], testCase.Expected[k]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_Top1AccuracyEqualsGoldens(string caseName)
    {
        var testCase = OnnxTestCase.Load(Path.Combine(SharedData.Digits, caseName));
        TensorValue logits = testCase.Run()[0];
        int[] labels = Labels();
        Assert.Equal(labels.Length, logits.Shape[0]);
        int ours = Correct(logits, labels);
        int golden = Correct(testCase.Expected[0], labels);
        Assert.Equal(golden, ours);
        // A classifier that learned nothing would make this test pass trivially on both sides.
        Assert.True(golden > labels.Length * 0.8, $"golden accuracy {golden}/{labels.Length} is implausibly low");
    }

    private static void AssertSameBits(TensorValue actual, TensorValue expected)
    {
        if (actual.Data is float[] a && expected.Data is float[] e)
        {
            int first = Enumerable.Range(0, a.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(e[i]), -1);
            Assert.True(first < 0, $"element {first}: {a[Math.Max(first, 0)]:R} vs golden {e[Math.Max(first, 0)]:R}");
        }
    }

    private static int Correct(TensorValue logits, int[] labels)
    {
        int classes = logits.Shape[1];
        float[] v = logits.Items<float>();
        int correct = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (v[(r * classes) + c] > v[(r * classes) + best])
                {
                    best = c;
                }
            }

            correct += best == labels[r] ? 1 : 0;
        }

        return correct;
    }

    private static int[] Labels()
    {
        using var s = File.OpenRead(Path.Combine(SharedData.Digits, "digits_test_y.npy"));
        TensorValue t = NpyReader.Read(s);
        return Enumerable.Range(0, t.Length).Select(i => (int)TensorComparison.ToDouble(t, i)).ToArray();
    }
}
