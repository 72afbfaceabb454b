using System.Globalization;
using SiliconSim.Graph.Execution;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Numerics;
using Xunit.Abstractions;

namespace SiliconSim.Simulation.Tests.Numerics;

/// <summary>
/// The digits models under the accelerator's numerics: SiliconSim's outputs equal an independent scalar model of the same
/// hardware semantics (which itself reproduces ORT's goldens under ORT's numerics), and the drift report's numbers are
/// consistent with that model.
/// </summary>
public sealed class DigitsDriftTests(ITestOutputHelper output)
{
    private static readonly MatrixNumerics s_fixedPointAcc24 = new()
    {
        AccumulatorBits = 24,
        Overflow = AccumulatorOverflow.Saturate,
        Requantizer = RequantizerArithmetic.FixedPoint,
        FixedPointRounding = ShiftRounding.NearestAwayFromZero,
    };

    private static readonly MatrixNumerics s_acc16Wrap = new() { AccumulatorBits = 16, Overflow = AccumulatorOverflow.Wrap };
    private static readonly MatrixNumerics s_acc24Saturate = new() { AccumulatorBits = 24, Overflow = AccumulatorOverflow.Saturate };

    public static TheoryData<string> PinnedCases() => ["digits_cnn_qop_u8s8_tensor", "digits_mlp_qdq_u8s8_tensor"];

    public static TheoryData<string> QuantizedCases() => [.. DigitsCase.QuantizedCases()];

    /// <summary>One CNN and one MLP of each quantization format (QOperator u8s8 per-tensor, QDQ s8s8 per-channel).</summary>
    public static TheoryData<string> SanityCases() =>
        ["digits_cnn_qop_u8s8_tensor", "digits_cnn_qdq_s8s8_channel", "digits_mlp_qdq_u8s8_tensor", "digits_mlp_qop_s8s8_channel"];

    [Theory]
    [MemberData(nameof(PinnedCases))]
    public void ScalarModel_UnderOrtNumerics_ReproducesGoldenBits(string caseName)
    {
        // The test's own model is only evidence if it is right where ORT can judge it. (First 90 images: the scalar
        // model is slow, and 90 images run every node and code path the 360 do.)
        DigitsCase c = DigitsCase.Load(caseName).Take(90);
        TensorValue model = HardwareMatrixReference.Run(c.Lowered, c.Feeds, MatrixNumerics.Reference)[0];
        Assert.Equal(0, TensorComparison.Compare(model, c.Golden[0]).Mismatches);
    }

    [Theory]
    [MemberData(nameof(PinnedCases))]
    public void FixedPointAcc24_EqualsScalarModelBitForBit(string caseName)
    {
        DigitsCase c = DigitsCase.Load(caseName);
        TensorValue expected = HardwareMatrixReference.Run(c.Lowered, c.Feeds, s_fixedPointAcc24)[0];
        var actual = c.Run(new ExecutionOptions { MatrixNumerics = s_fixedPointAcc24 });
        Assert.Equal(0, TensorComparison.Compare(actual[0].Value, expected).Mismatches);

        // The report's numbers, recounted here from the scalar model's logits.
        DriftReport report = DriftReport.Compare(actual, c.Golden, DigitsCase.Labels);
        OutputDrift d = report.Outputs[0];
        float[] e = expected.Items<float>(), g = c.Golden[0].Items<float>();
        Assert.Equal(e.Zip(g).Count(p => p.First != p.Second), d.Mismatches);
        Assert.Equal(e.Zip(g).Max(p => Math.Abs((double)p.First - p.Second)), d.MaxAbsDiff);
        int rows = c.Golden[0].Shape[0], classes = c.Golden[0].Shape[1];
        int[] topModel = [.. Enumerable.Range(0, rows).Select(r => ArgMax(e.AsSpan(r * classes, classes)))];
        int[] topGolden = [.. Enumerable.Range(0, rows).Select(r => ArgMax(g.AsSpan(r * classes, classes)))];
        Assert.Equal(rows, d.Rows);
        Assert.Equal(topModel.Zip(topGolden).Count(p => p.First == p.Second), d.Top1AgreeWithGolden);
        Assert.Equal(topModel.Zip(DigitsCase.Labels).Count(p => p.First == p.Second), d.Top1CorrectActual);
        Assert.Equal(topGolden.Zip(DigitsCase.Labels).Count(p => p.First == p.Second), d.Top1CorrectGolden);

        // What the scalar model says about the hardware: the fixed-point requantizer moves some codes (its multiplier
        // is the double-precision one, ORT's an fp32 product, and gemmlowp rounds twice), yet no answer changes.
        Assert.True(d.Mismatches > 0, "the fixed-point requantizer moved no logit");
        Assert.True(d.Top1Agreement >= 0.99, $"top-1 agreement {d.Top1AgreeWithGolden}/{d.Rows}");
        output.WriteLine(Describe(caseName, s_fixedPointAcc24, d));
    }

    [Theory]
    [MemberData(nameof(PinnedCases))]
    public void Acc16Wrap_EqualsScalarModelBitForBit(string caseName)
    {
        DigitsCase c = DigitsCase.Load(caseName).Take(90);
        TensorValue expected = HardwareMatrixReference.Run(c.Lowered, c.Feeds, s_acc16Wrap)[0];
        TensorValue actual = c.Run(new ExecutionOptions { MatrixNumerics = s_acc16Wrap })[0].Value;
        Assert.Equal(0, TensorComparison.Compare(actual, expected).Mismatches);
    }

    [Theory]
    [MemberData(nameof(QuantizedCases))]
    public void ReferenceNumerics_HaveNoDrift(string caseName)
    {
        DigitsCase c = DigitsCase.Load(caseName);
        DriftReport report = DriftReport.Compare(c.Run(ExecutionOptions.Default), c.Golden, DigitsCase.Labels);
        OutputDrift d = report.Outputs[0];
        Assert.Equal(0, d.Mismatches);
        Assert.Equal(0, d.MaxAbsDiff);
        Assert.Equal(d.Rows, d.Top1AgreeWithGolden);
        Assert.Equal(d.Top1CorrectGolden, d.Top1CorrectActual);
    }

    /// <summary>
    /// A sanity law of accumulator width: 16 wrapping bits cannot hold sums of hundreds of 8-bit products, so the
    /// classifier breaks; 24 saturating bits hold them, so the answers barely move.
    /// </summary>
    [Theory]
    [MemberData(nameof(SanityCases))]
    public void Acc16WrapBreaksResults_Acc24SaturateBarelyChangesThem(string caseName)
    {
        DigitsCase c = DigitsCase.Load(caseName);
        OutputDrift narrow = DriftReport.Compare(c.Run(new ExecutionOptions { MatrixNumerics = s_acc16Wrap }), c.Golden, DigitsCase.Labels).Outputs[0];
        OutputDrift wide = DriftReport.Compare(c.Run(new ExecutionOptions { MatrixNumerics = s_acc24Saturate }), c.Golden, DigitsCase.Labels).Outputs[0];
        output.WriteLine(Describe(caseName, s_acc16Wrap, narrow));
        output.WriteLine(Describe(caseName, s_acc24Saturate, wide));
        Assert.True(narrow.MismatchRate > 0.5, $"16-bit wrap changed only {narrow.Mismatches}/{narrow.Elements} logits");
        Assert.True(narrow.Top1Agreement < 0.9, $"16-bit wrap kept top-1 on {narrow.Top1AgreeWithGolden}/{narrow.Rows} images");
        Assert.True(wide.Top1Agreement >= 0.99, $"24-bit saturate kept top-1 on only {wide.Top1AgreeWithGolden}/{wide.Rows} images");
        Assert.True(wide.MismatchRate <= 0.01, $"24-bit saturate changed {wide.Mismatches}/{wide.Elements} logits");
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            best = v[i] > v[best] ? i : best;
        }

        return best;
    }

    internal static string Describe(string caseName, MatrixNumerics numerics, OutputDrift d) => string.Create(
        CultureInfo.InvariantCulture,
        $"{caseName,-40} {numerics,-45} mismatches {d.Mismatches,5}/{d.Elements} max|diff| {d.MaxAbsDiff,10:G6} top-1 = golden {d.Top1AgreeWithGolden}/{d.Rows} correct {d.Top1CorrectActual} (golden {d.Top1CorrectGolden})");
}
