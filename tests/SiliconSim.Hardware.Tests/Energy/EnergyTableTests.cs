using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Tests.Energy;

/// <summary>The SRAM and adder interpolation at and between published points, and the validation messages.</summary>
public sealed class EnergyTableTests
{
    private static readonly EnergyTableSpec s_table = EnergyFixtures.Table;

    [Theory]
    [InlineData(8 * 1024, 8, 10.0)]          // published point
    [InlineData(32 * 1024, 8, 20.0)]         // published point
    [InlineData(1024 * 1024, 8, 100.0)]      // published point
    [InlineData(16 * 1024, 8, 15.0)]         // one octave of two between 8 KiB and 32 KiB
    [InlineData(64 * 1024, 8, 36.0)]         // one octave of five between 32 KiB and 1 MiB: 20 + 80/5
    [InlineData(2 * 1024 * 1024, 8, 116.0)]  // above the last point the 16 pJ/octave slope continues
    [InlineData(1024, 8, 10.0)]              // below the first point its value holds
    [InlineData(32 * 1024, 16, 40.0)]        // linear in word width: 128 bits = 2 x 64
    [InlineData(8 * 1024, 4, 5.0)]           // 32-bit word = half of 64
    public void SramReadPj_InterpolatesLinearlyInLog2CapacityAndWidth(long capacity, int wordBytes, double expected) =>
        Assert.Equal(expected, s_table.SramReadPj(capacity, wordBytes), 9);

    [Theory]
    [InlineData(8, 0.03)]
    [InlineData(32, 0.1)]
    [InlineData(20, 0.065)]
    [InlineData(16, 0.03 + (0.07 / 3))]
    public void IntegerAddPj_IsLinearInWidthThroughThePublishedPoints(int bits, double expected) =>
        Assert.Equal(expected, s_table.IntegerAddPj(bits), 12);

    [Fact]
    public void FindMac_IsSymmetric() =>
        Assert.Equal(0.225, s_table.FindMac(DataType.Int8, DataType.UInt8)!.MultiplyPj);

    [Fact]
    public void Validate_MissingMacType_NamesThePair()
    {
        AcceleratorSpec acc = EnergyFixtures.Accelerator with { Array = EnergyFixtures.Accelerator.Array with { OperandTypes = [DataType.Int4, DataType.Int8] } };
        var problems = EnergyModel.Validate(s_table, acc);
        Assert.Equal(
            ["array.operand_types: energy table 'test-45nm' has no MAC entry for int4 x int4, which the array's operand types need",
             "array.operand_types: energy table 'test-45nm' has no MAC entry for int4 x int8, which the array's operand types need"],
            problems.Select(p => p.ToString()));
        Assert.Throws<ArgumentException>(() => EnergyModel.Evaluate(s_table, acc, ActionCounts.Empty, junctionC: 25));
    }

    [Fact]
    public void Validate_NegativeEnergy_IsAProblemAtItsPath()
    {
        EnergyTableSpec bad = s_table with { Float32AddPj = -0.9 };
        Assert.Equal(["float32_add_pj: must be a finite energy >= 0, got -0.9"], bad.Validate().Select(p => p.ToString()));
    }

    [Fact]
    public void Validate_DramTypeWithoutEntry_ListsTheTablesTypes()
    {
        AcceleratorSpec acc = EnergyFixtures.Accelerator with { Memory = EnergyFixtures.Accelerator.Memory with { Dram = EnergyFixtures.Accelerator.Memory.Dram with { Type = "LPDDR5" } } };
        Assert.Equal(["memory.dram.type: energy table 'test-45nm' has no DRAM entry for LPDDR5 (it has DDR3, HBM2)"], EnergyModel.Validate(s_table, acc).Select(p => p.ToString()));
    }
}
