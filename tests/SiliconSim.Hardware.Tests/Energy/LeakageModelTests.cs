using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Tests.Energy;

/// <summary>
/// The one leakage model: where its reference figure comes from, its temperature, voltage and frequency laws, and
/// that energy accounting prices exactly its power. Expected values are worked by hand from the fixture's numbers.
/// </summary>
public sealed class LeakageModelTests
{
    private static readonly EnergyTableSpec s_table = EnergyFixtures.Table;
    private static readonly AcceleratorSpec s_acc = EnergyFixtures.Accelerator;

    // The fixture at the table's own node and voltage: 8 + 32 + 1024 KiB x 10 uW/KiB + 4 x 8 PEs x 1 uW at 25 degC.
    private const double TableWatts = (((8 + 32 + 1024) * 10.0) + 32) * 1e-6;

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void WithoutAWholeDieFigure_TheReferenceIsTheTablesAtItsTemperature()
    {
        LeakageModel m = LeakageModel.Of(s_table, s_acc);
        Close(TableWatts, m.ReferencePowerW);
        Assert.Equal(25, m.ReferenceJunctionC);
        Assert.Equal(0.9, m.NominalVoltageV);
        Assert.StartsWith("energy table 'test-45nm'", m.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTablesTemperature_IsWhereItsFiguresHold()
    {
        LeakageModel m = LeakageModel.Of(s_table with { LeakageReferenceC = 50 }, s_acc);
        Close(TableWatts, m.PowerW(50));
        Close(TableWatts / 2, m.PowerW(25));
    }

    [Fact]
    public void AWholeDieFigure_ReplacesTheTables_AndIsTheOnlyOneUsed()
    {
        AcceleratorSpec acc = s_acc with { Thermal = new ThermalSpec { LeakagePowerW = 0.3, LeakageReferenceC = 40 } };
        LeakageModel m = LeakageModel.Of(s_table, acc);
        LeakageModel other = LeakageModel.Of(s_table with { SramLeakageUwPerKib = 1e6, PeLeakageUw = 1e6, LeakageReferenceC = -20 }, acc);
        Assert.Equal((0.3, 40.0), (m.ReferencePowerW, m.ReferenceJunctionC));
        Assert.Equal((m.ReferencePowerW, m.ReferenceJunctionC), (other.ReferencePowerW, other.ReferenceJunctionC));
        Assert.StartsWith("thermal.leakage_power_w", m.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void AWholeDieFigureWithoutItsTemperature_IsAtTheCataloguesDefault() =>
        Assert.Equal(25, LeakageModel.Of(s_table, s_acc with { Thermal = new ThermalSpec { LeakagePowerW = 0.3 } }).ReferenceJunctionC);

    [Theory]
    [InlineData(25, 1.0)]
    [InlineData(50, 2.0)]
    [InlineData(100, 8.0)]
    [InlineData(0, 0.5)]
    public void Leakage_DoublesEveryDoublingInterval(double junctionC, double factor) =>
        Close(TableWatts * factor, LeakageModel.Of(s_table, s_acc).PowerW(junctionC));

    [Fact]
    public void Leakage_IsLinearInVoltage_AndTheDoublingIsTheThermalSections()
    {
        LeakageModel m = LeakageModel.Of(s_table, s_acc with { Thermal = new ThermalSpec { LeakageDoublingC = 10 } });
        Close(TableWatts * 0.5, m.PowerW(25, 0.45));
        Close(TableWatts * 4, m.PowerW(45));
    }

    [Fact]
    public void Leakage_DoesNotDependOnTheClock_ItsEnergyOnlyThroughTheTime()
    {
        var counts = new ActionCounts { Cycles = 1_000_000 };
        AcceleratorSpec fast = s_acc with { ClockMhz = 1000 };
        Assert.Equal(LeakageModel.Of(s_table, s_acc).PowerW(60), LeakageModel.Of(s_table, fast).PowerW(60));
        Close(2 * EnergyModel.Evaluate(s_table, fast, counts, 60).LeakageJ, EnergyModel.Evaluate(s_table, s_acc, counts, 60).LeakageJ);
    }

    [Theory]
    [InlineData(25.0)]
    [InlineData(61.5)]
    [InlineData(105.0)]
    public void EnergyAccounting_PricesTheModelsPowerAtTheGivenTemperature(double junctionC)
    {
        // 2^((T - 25) / 25) x the table's figure for 1e6 cycles at 500 MHz (2 ms).
        EnergyBreakdown e = EnergyModel.Evaluate(s_table, s_acc, new ActionCounts { Cycles = 1_000_000 }, junctionC);
        Close(TableWatts * Math.Pow(2, (junctionC - 25) / 25) * 2e-3, e.LeakageJ);
    }

    [Fact]
    public void LeakageScaling_IsTheNodeFactorAndLinearInVoltage()
    {
        // 28 nm at its nominal 0.9 V, from 45 nm at 0.9 V (nominal 1.0 V): 0.5 x (0.9 / 0.9) / (0.9 / 1.0).
        Close(0.5 / 0.9, s_table.LeakageScaleFactor(28, 0.9));
        Assert.Equal(1.0, s_table.LeakageScaleFactor(45, 0.9));
        Close(0.5 / 0.9 * TableWatts, LeakageModel.Of(s_table, s_acc with { TechnologyNodeNm = 28 }).ReferencePowerW);
    }

    [Fact]
    public void Validate_ReferenceTemperatureOutOfRange_IsAProblemAtItsPath() =>
        Assert.Equal(
            ["leakage.reference_c: must be a junction temperature from -60 to 300 degC (thermal.leakage_reference_c's range), got 400"],
            (s_table with { LeakageReferenceC = 400 }).Validate().Select(p => p.ToString()));
}
