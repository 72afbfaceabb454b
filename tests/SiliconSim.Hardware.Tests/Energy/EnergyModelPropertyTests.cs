using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Tests.Energy;

/// <summary>Energy laws: counts x table, component independence, zero activity, scaling identity, SRAM monotonicity.</summary>
public sealed class EnergyModelPropertyTests
{
    private static readonly EnergyTableSpec s_table = EnergyFixtures.Table;
    private static readonly AcceleratorSpec s_acc = EnergyFixtures.Accelerator;

    // The fixture table's leakage.reference_c: there leakage is the table's figures exactly (LeakageModelTests covers
    // other temperatures).
    private const double AtReferenceC = 25;

    private static Gen<ActionCounts> Counts() =>
        from macs in Gen.Choose(0, 1_000_000)
        from fp in Gen.Choose(0, 1000)
        from width in Gen.Choose(8, 32)
        from adds in Gen.Choose(0, 1_000_000)
        from fadds in Gen.Choose(0, 1000)
        from rr in Gen.Choose(0, 1_000_000)
        from rw in Gen.Choose(0, 1_000_000)
        from b0 in Gen.Choose(0, 10_000)
        from b1 in Gen.Choose(0, 10_000)
        from b2 in Gen.Choose(0, 10_000)
        from dr in Gen.Choose(0, 1_000_000)
        from dw in Gen.Choose(0, 1_000_000)
        from ve in Gen.Choose(0, 100_000)
        from vt in Gen.Choose(0, 1000)
        from cycles in Gen.Choose(0, 1_000_000)
        select new ActionCounts
        {
            Macs = [new(DataType.UInt8, DataType.Int8, macs), new(DataType.Int8, DataType.Int8, macs / 3), new(DataType.Float16, DataType.Float16, fp)],
            AccumulatorAdds = [new(width, false, adds), new(32, true, fadds)],
            RegisterReadBits = rr,
            RegisterWriteBits = rw,
            Buffers = [new("in", b0, b1), new("w", b1, b2), new("out", b2, b0)],
            DramReadBits = dr,
            DramWriteBits = dw,
            VectorOps = [new(VectorOpClass.Elementwise, ve), new(VectorOpClass.Transcendental, vt)],
            Cycles = cycles,
        };

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1e-18, Math.Max(Math.Abs(a), Math.Abs(b)));

    [Property(MaxTest = 100)]
    public Property Total_EqualsCountsTimesTable() => Prop.ForAll(Counts().ToArbitrary(), c =>
    {
        // Expected from the table's numbers as typed in EnergyFixtures; buffers sit on published points with 64-bit words.
        double intAdd = 0.03 + ((0.1 - 0.03) * (c.AccumulatorAdds[0].Bits - 8) / 24.0);
        double dynamic =
            (c.Macs[0].Count * 0.225) + (c.Macs[1].Count * 0.2) + (c.Macs[2].Count * 1.1)
            + (c.AccumulatorAdds[0].Count * intAdd) + (c.AccumulatorAdds[1].Count * 0.9)
            + (c.RegisterReadBits * 0.003) + (c.RegisterWriteBits * 0.004)
            + (c.Buffers[0].ReadAccesses * 10.0) + (c.Buffers[0].WriteAccesses * 11.0)
            + (c.Buffers[1].ReadAccesses * 20.0) + (c.Buffers[1].WriteAccesses * 22.0)
            + (c.Buffers[2].ReadAccesses * 100.0) + (c.Buffers[2].WriteAccesses * 110.0)
            + (c.VectorOps[0].Elements * 0.9) + (c.VectorOps[1].Elements * 23.0);
        double dram = (c.DramReadBits + c.DramWriteBits) * 20.3;
        double leakageW = ((8 + 32 + 1024) * 10e-6) + (32 * 1e-6);
        double expected = (((dynamic * 1.2) + dram) * 1e-12) + (leakageW * c.Cycles / 500e6);

        EnergyBreakdown e = EnergyModel.Evaluate(s_table, s_acc, c, AtReferenceC);
        return Close(e.TotalJ, expected);
    });

    [Property(MaxTest = 100)]
    public Property DoublingDramEnergy_DoublesOnlyTheDramComponent() => Prop.ForAll(Counts().ToArbitrary(), c =>
    {
        EnergyTableSpec doubled = s_table with { DramPjPerBit = s_table.DramPjPerBit.SetItem("DDR3", 2 * 20.3) };
        EnergyBreakdown a = EnergyModel.Evaluate(s_table, s_acc, c, AtReferenceC), b = EnergyModel.Evaluate(doubled, s_acc, c, AtReferenceC);
        return b.DramJ == 2 * a.DramJ && b.MacJ == a.MacJ && b.AccumulatorJ == a.AccumulatorJ && b.RegistersJ == a.RegistersJ
            && b.Sram.SequenceEqual(a.Sram) && b.VectorJ == a.VectorJ && b.LeakageJ == a.LeakageJ && b.OverheadJ == a.OverheadJ;
    });

    [Property(MaxTest = 50)]
    public Property ZeroCounts_GiveOnlyLeakage(PositiveInt cycles)
    {
        EnergyBreakdown e = EnergyModel.Evaluate(s_table, s_acc, new ActionCounts { Cycles = cycles.Get }, AtReferenceC);
        double leakage = (((8 + 32 + 1024) * 10e-6) + (32 * 1e-6)) * cycles.Get / 500e6;
        return (e.MacJ == 0 && e.AccumulatorJ == 0 && e.RegistersJ == 0 && e.SramJ == 0 && e.DramJ == 0 && e.VectorJ == 0
            && e.OverheadJ == 0 && Close(e.LeakageJ, leakage) && e.TotalJ == e.LeakageJ).ToProperty();
    }

    [Property(MaxTest = 50)]
    public Property IdlePower_IsCountedOverEveryCycle_AtAnyTemperature(PositiveInt cycles, PositiveInt kelvin)
    {
        // thermal.idle_power_w is given at the accelerator's own point: 0.05 W x cycles / 500 MHz, not node-scaled.
        AcceleratorSpec acc = s_acc with { Thermal = new ThermalSpec { IdlePowerW = 0.05 } };
        EnergyBreakdown idle = EnergyModel.Evaluate(s_table, acc, new ActionCounts { Cycles = cycles.Get }, 25 + (kelvin.Get % 80));
        EnergyBreakdown none = EnergyModel.Evaluate(s_table, s_acc, new ActionCounts { Cycles = cycles.Get }, 25 + (kelvin.Get % 80));
        return (Close(idle.IdleJ, 0.05 * cycles.Get / 500e6) && none.IdleJ == 0 && idle.LeakageJ == none.LeakageJ
            && Close(idle.TotalJ, none.TotalJ + idle.IdleJ) && Close(idle.OnDieJ, idle.TotalJ)).ToProperty();
    }

    [Fact]
    public void Scaling_ToTheTablesOwnNodeAndVoltage_IsIdentity()
    {
        Assert.Equal(1.0, s_table.ScaleFactor(45, 0.9));
        Assert.Equal(1.0, (s_table with { NodeScaling = [] }).ScaleFactor(45, 0.9));
    }

    [Property(MaxTest = 100)]
    public Property Scaling_IsCTimesVSquared_AtTheTablesNode(PositiveInt millivolts)
    {
        double v = 0.3 + (millivolts.Get % 1000 / 1000.0);
        return Close(s_table.ScaleFactor(45, v), v * v / (0.9 * 0.9)).ToProperty();
    }

    [Fact]
    public void Scaling_ToAListedNode_UsesItsFactorAndNominalVoltage()
    {
        // 28 nm at its nominal 0.9 V, from 45 nm at 0.9 V (nominal 1.0 V): 0.5 x 1 / 0.81.
        Assert.Equal(0.5 / 0.81, s_table.ScaleFactor(28, 0.9), 12);
    }

    [Fact]
    public void MovingTheAcceleratorToAnotherNode_ScalesOnChipEnergy_ButNotDram()
    {
        // A DDR3 device costs the same per bit whatever node the accelerator's logic is built in.
        var counts = new ActionCounts { Macs = [new(DataType.Int8, DataType.Int8, 1000)], DramReadBits = 640, DramWriteBits = 64 };
        EnergyBreakdown at45 = EnergyModel.Evaluate(s_table, s_acc, counts, AtReferenceC);
        EnergyBreakdown at28 = EnergyModel.Evaluate(s_table, s_acc with { TechnologyNodeNm = 28 }, counts, AtReferenceC);
        Assert.True(Close(704 * 20.3e-12, at28.DramJ), $"{at28.DramJ}");
        Assert.Equal(at45.DramJ, at28.DramJ);
        Assert.True(Close(at45.MacJ * 0.5 / 0.81, at28.MacJ), $"{at28.MacJ}");
    }

    [Property(MaxTest = 200)]
    public Property SramEnergy_IsMonotonicInCapacity(PositiveInt a, PositiveInt b, PositiveInt word)
    {
        long lo = Math.Min(a.Get, b.Get) * 64L, hi = Math.Max(a.Get, b.Get) * 64L;
        int w = 1 + (word.Get % 64);
        return (s_table.SramReadPj(lo, w) <= s_table.SramReadPj(hi, w) && s_table.SramWritePj(lo, w) <= s_table.SramWritePj(hi, w)).ToProperty();
    }
}
