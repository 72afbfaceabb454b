using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;
using SiliconSim.Numerics;

namespace SiliconSim.Hardware.Energy;

/// <summary>
/// Energy = action counts x per-action energies (Accelergy), scaled from the table's node and voltage to the
/// accelerator's (<see cref="EnergyTableSpec.ScaleFactor"/>). Pure.
/// </summary>
public static class EnergyModel
{
    private const double JoulesPerPicojoule = 1e-12;

    /// <summary>
    /// Every reason <paramref name="table"/> cannot price <paramref name="accelerator"/>: the table's own problems, a MAC
    /// operand pair the array's operand types need without an entry (every unordered pair it can multiply, see
    /// <see cref="Multiplies"/>), a DRAM type without an entry. Paths are accelerator config paths for the latter two.
    /// </summary>
    public static ImmutableArray<SpecProblem> Validate(EnergyTableSpec table, AcceleratorSpec accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return ValidatePrices(table, accelerator.Array.OperandTypes, accelerator.Memory.Dram.Type);
    }

    /// <summary>
    /// <see cref="Validate"/> from the only two spec values it reads, so the config
    /// loader can check pricing as soon as those are known, even while other fields of the config are wrong.
    /// </summary>
    public static ImmutableArray<SpecProblem> ValidatePrices(EnergyTableSpec table, ImmutableArray<DataType> operandTypes, string dramType)
    {
        ArgumentNullException.ThrowIfNull(table);
        var problems = table.Validate().ToBuilder();
        var types = operandTypes;
        for (int i = 0; i < types.Length; i++)
        {
            for (int j = i; j < types.Length; j++)
            {
                if (Multiplies(types[i], types[j]) && table.FindMac(types[i], types[j]) is null)
                {
                    problems.Add(new SpecProblem("array.operand_types", $"energy table '{table.Name}' has no MAC entry for {DataTypeInfo.Name(types[i])} x {DataTypeInfo.Name(types[j])}, which the array's operand types need"));
                }
            }
        }

        string dram = dramType;
        if (!table.DramPjPerBit.ContainsKey(dram))
        {
            string known = string.Join(", ", table.DramPjPerBit.Keys.Order(StringComparer.Ordinal));
            problems.Add(new SpecProblem("memory.dram.type", $"energy table '{table.Name}' has no DRAM entry for {dram} (it has {known})"));
        }

        return problems.ToImmutable();
    }

    /// <summary>
    /// Whether an array listing both types multiplies one by the other: two integer types (one datapath takes either
    /// signedness) or two float types of one width (fp8 E4M3 x E5M2). A multi-precision array has a separate datapath
    /// per class and width; it never multiplies an int8 by an fp4, so such pairs need no price.
    /// </summary>
    public static bool Multiplies(DataType a, DataType b) =>
        a == b || (DataTypeInfo.IsFloat(a) ? DataTypeInfo.IsFloat(b) && DataTypeInfo.BitWidth(a) == DataTypeInfo.BitWidth(b) : !DataTypeInfo.IsFloat(b));

    /// <summary>
    /// The energy of <paramref name="counts"/> on <paramref name="accelerator"/>:
    /// MAC = Σ macs x multiply_pj(pair); accumulator = Σ adds x add_pj(width, kind); registers = bits x pJ/bit;
    /// each buffer = reads x read_pj(capacity, word) + writes x write_pj; DRAM = bits x pJ/bit(type);
    /// vector = Σ elements x pJ(class); overhead = clock_overhead_fraction x the sum of those except DRAM;
    /// leakage = <see cref="LeakageModel"/>'s power at <paramref name="junctionC"/> and the nominal voltage x cycles x
    /// seconds per cycle; idle = <c>thermal.idle_power_w</c> x cycles x seconds per cycle (always-on power is drawn
    /// while the array works as well as between runs; it is given at the accelerator's own node and voltage).
    /// Every dynamic on-chip term is multiplied by the node/voltage scale factor and given in joules (leakage carries
    /// its own scaling, <see cref="EnergyTableSpec.LeakageScaleFactor"/>). DRAM is not: its energy per bit belongs to
    /// the DRAM device and its interface standard (DDR3's 1.5 V signalling, say), which the accelerator's logic node and
    /// core voltage do not change.
    /// </summary>
    /// <param name="table">The per-action energies.</param>
    /// <param name="accelerator">The accelerator the counts were made on.</param>
    /// <param name="counts">What it did.</param>
    /// <param name="junctionC">The junction temperature leakage is priced at, °C.</param>
    /// <exception cref="ArgumentException">The table cannot price the accelerator (see <see cref="Validate"/>), or a
    /// count names a buffer the accelerator lacks or a MAC pair the table lacks.</exception>
    public static EnergyBreakdown Evaluate(EnergyTableSpec table, AcceleratorSpec accelerator, ActionCounts counts, double junctionC)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(counts);
        var problems = Validate(table, accelerator);
        if (!problems.IsEmpty)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(table));
        }

        double scale = table.ScaleFactor(accelerator.TechnologyNodeNm, accelerator.SupplyVoltageV) * JoulesPerPicojoule;

        double mac = 0;
        foreach (MacCount m in counts.Macs)
        {
            MacEnergy entry = table.FindMac(m.Input, m.Weight)
                ?? throw new ArgumentException($"energy table '{table.Name}' has no MAC entry for {DataTypeInfo.Name(m.Input)} x {DataTypeInfo.Name(m.Weight)}", nameof(counts));
            mac += m.Count * entry.MultiplyPj;
        }

        double acc = 0;
        foreach (AccumulatorAddCount a in counts.AccumulatorAdds)
        {
            acc += a.Count * AddPj(table, a);
        }

        double registers = (counts.RegisterReadBits * table.RegisterReadPjPerBit) + (counts.RegisterWriteBits * table.RegisterWritePjPerBit);

        foreach (BufferAccessCount b in counts.Buffers)
        {
            if (!accelerator.Memory.Buffers.Any(s => s.Name == b.Name))
            {
                throw new ArgumentException($"counts name buffer '{b.Name}', which accelerator '{accelerator.Name}' does not have", nameof(counts));
            }
        }

        var sram = ImmutableArray.CreateBuilder<BufferEnergy>(accelerator.Memory.Buffers.Length);
        double sramPj = 0;
        foreach (BufferSpec buffer in accelerator.Memory.Buffers)
        {
            long reads = 0, writes = 0;
            foreach (BufferAccessCount b in counts.Buffers.Where(b => b.Name == buffer.Name))
            {
                reads += b.ReadAccesses;
                writes += b.WriteAccesses;
            }

            double r = reads * table.SramReadPj(buffer.CapacityBytes, buffer.WordBytes);
            double w = writes * table.SramWritePj(buffer.CapacityBytes, buffer.WordBytes);
            sramPj += r + w;
            sram.Add(new BufferEnergy(buffer.Name, r * scale, w * scale));
        }

        double dram = (counts.DramReadBits + counts.DramWriteBits) * table.DramPjPerBit[accelerator.Memory.Dram.Type];

        double vector = 0;
        foreach (VectorOpCount v in counts.VectorOps)
        {
            vector += v.Elements * table.VectorPjPerElement.GetValueOrDefault(v.OpClass);
        }

        // The clock tree and control logic are on the die: they grow with on-chip switching, not with the DRAM device's.
        double onChipDynamicPj = mac + acc + registers + sramPj + vector;
        double seconds = counts.Cycles * accelerator.CycleSeconds;
        return new EnergyBreakdown
        {
            MacJ = mac * scale,
            AccumulatorJ = acc * scale,
            RegistersJ = registers * scale,
            Sram = sram.MoveToImmutable(),
            DramJ = dram * JoulesPerPicojoule,
            VectorJ = vector * scale,
            LeakageJ = LeakageModel.Of(table, accelerator).PowerW(junctionC) * seconds,
            OverheadJ = table.ClockOverheadFraction * onChipDynamicPj * scale,
            IdleJ = accelerator.Thermal.IdlePowerW * seconds,
        };
    }

    /// <summary>The energy of one accumulator add: integer adds linear in width; float adds of 16 or 32 bits.</summary>
    public static double AddPj(EnergyTableSpec table, AccumulatorAddCount add)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(add);
        if (!add.IsFloat)
        {
            return table.IntegerAddPj(add.Bits);
        }

        return add.Bits switch
        {
            16 => table.Float16AddPj,
            32 => table.Float32AddPj,
            _ => throw new ArgumentException($"energy table '{table.Name}' prices float adds of 16 or 32 bits, not {add.Bits}", nameof(add)),
        };
    }
}
