using SiliconSim.Numerics;
using SiliconSim.Simulation.Numerics;

namespace SiliconSim.Simulation.Tests.Numerics;

public sealed class DriftReportTests
{
    private static TensorValue Logits(params float[] v) => TensorValue.FromFloats([v.Length / 3, 3], v);

    [Fact]
    public void Compare_CountsMismatchesMaxDiffAndTop1()
    {
        // Row 0: same arg-max (2) despite a changed value; row 1: arg-max moves from 0 to 1; row 2: identical.
        TensorValue golden = Logits(0f, 1f, 5f, 3f, 2f, 1f, 7f, 8f, 9f);
        TensorValue actual = Logits(0f, 1.5f, 5f, 3f, 3.25f, 1f, 7f, 8f, 9f);
        DriftReport report = DriftReport.Compare([("logits", actual)], [golden], [2, 1, 0]);
        OutputDrift d = Assert.Single(report.Outputs);
        Assert.Equal(("logits", 9L, 2L, 1.25, 3), (d.Name, d.Elements, d.Mismatches, d.MaxAbsDiff, d.Rows));
        Assert.Equal(2, d.Top1AgreeWithGolden);
        Assert.Equal(2, d.Top1CorrectActual); // rows 0 and 1 match labels 2 and 1
        Assert.Equal(1, d.Top1CorrectGolden); // only row 0
        Assert.Equal(2, report.TotalMismatches);
    }

    [Fact]
    public void Compare_Ties_FirstIndexWins()
    {
        DriftReport report = DriftReport.Compare([("y", Logits(4f, 4f, 1f))], [Logits(4f, 1f, 4f)], [0]);
        Assert.Equal(1, report.Outputs[0].Top1AgreeWithGolden);
        Assert.Equal(1, report.Outputs[0].Top1CorrectActual);
    }

    [Fact]
    public void Compare_WithoutLabels_LeavesLabelCountsNull()
    {
        OutputDrift d = DriftReport.Compare([("y", Logits(1f, 2f, 3f))], [Logits(1f, 2f, 3f)]).Outputs[0];
        Assert.Null(d.Top1CorrectActual);
        Assert.Null(d.Top1CorrectGolden);
        Assert.Equal(1.0, d.Top1Agreement);
    }

    [Fact]
    public void Compare_ShapeMismatch_ReportsTheProblemWithoutTop1()
    {
        OutputDrift d = DriftReport.Compare([("y", TensorValue.FromFloats([1, 2], [1f, 2f]))], [Logits(1f, 2f, 3f)]).Outputs[0];
        Assert.NotNull(d.Problem);
        Assert.Equal(0, d.Rows);
        Assert.Null(d.Top1AgreeWithGolden);
    }

    [Fact]
    public void Compare_CountMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => DriftReport.Compare([("y", Logits(1f, 2f, 3f))], []));

    [Fact]
    public void Compare_WrongLabelCount_Throws() =>
        Assert.Throws<ArgumentException>(() => DriftReport.Compare([("y", Logits(1f, 2f, 3f))], [Logits(1f, 2f, 3f)], [0, 1]));

    [Fact]
    public void Compare_IntegerOutputs_CompareExactly()
    {
        TensorValue a = TensorValue.Create(DataType.UInt8, [1, 3], new byte[] { 10, 200, 3 });
        TensorValue e = TensorValue.Create(DataType.UInt8, [1, 3], new byte[] { 10, 199, 3 });
        OutputDrift d = DriftReport.Compare([("q", a)], [e]).Outputs[0];
        Assert.Equal((1L, 1.0, 1), (d.Mismatches, d.MaxAbsDiff, d.Top1AgreeWithGolden ?? -1));
    }
}
