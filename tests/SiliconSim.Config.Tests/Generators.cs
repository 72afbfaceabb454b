using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Config.Energy;
using SiliconSim.Hardware.Energy;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Config.Tests;

/// <summary>
/// Generators of valid specs: every field inside its catalogue range, buffers either unified or one per role, and
/// operand types and DRAM that the default energy table prices (a config loads only with a table that prices it).
/// </summary>
internal static class Generators
{
    private static readonly EnergyTableSpec s_table = EnergyTableLoader.Load(EnergyTableLoader.DefaultTable).TableOrThrow();

    public static Arbitrary<AcceleratorSpec> ValidSpecs() => Spec().ToArbitrary();

    private static Gen<double> Number(int maxTenThousandths) => Gen.Choose(1, maxTenThousandths).Select(i => i / 1e4);

    private static Gen<T> OneOf<T>(NameTable<T> table)
        where T : notnull => Gen.Elements(table.Names.ToArray()).Select(n => table.TryParse(n, out T v) ? v : throw new InvalidOperationException(n));

    private static Gen<ImmutableArray<DataType>> Types(NameTable<DataType> table) =>
        Gen.Shuffle(table.Names.ToArray()).SelectMany(all => Gen.Choose(1, all.Length).Select(k =>
            all.Take(k).Select(n => table.TryParse(n, out DataType t) ? t : DataType.Undefined).ToImmutableArray()));

    /// <summary>A prefix of the shuffled operand types, keeping only those the table prices with every type kept before.</summary>
    private static Gen<ImmutableArray<DataType>> PricedOperandTypes() =>
        from names in Gen.Shuffle(SpecNames.OperandTypes.Names.ToArray())
        from k in Gen.Choose(1, names.Length)
        select Priced(names).Take(k).ToImmutableArray();

    private static List<DataType> Priced(string[] names)
    {
        var kept = new List<DataType>();
        foreach (string n in names)
        {
            DataType t = SpecNames.OperandTypes.TryParse(n, out DataType v) ? v : throw new InvalidOperationException(n);
            if (kept.Append(t).All(o => !EnergyModel.Multiplies(o, t) || s_table.FindMac(o, t) is not null))
            {
                kept.Add(t);
            }
        }

        return kept;
    }

    private static Gen<BufferSpec> Buffer(string name, BufferRole role) =>
        from word in Gen.Elements(1, 2, 4, 8, 32, 256)
        from banks in Gen.Choose(1, 8)
        from rows in Gen.Choose(1, 4096)
        from ports in Gen.Choose(1, 8)
        from bpc in Gen.Choose(1, 4096)
        from db in Gen.Elements(true, false)
        select new BufferSpec
        {
            Name = name,
            Role = role,
            CapacityBytes = (long)word * banks * rows,
            WordBytes = word,
            Banks = banks,
            Ports = ports,
            BytesPerCycle = bpc,
            DoubleBuffered = db,
        };

    private static Gen<ImmutableArray<BufferSpec>> Buffers() =>
        from unified in Gen.Elements(true, false)
        from order in Gen.Shuffle(new[] { BufferRole.Input, BufferRole.Weight, BufferRole.Output })
        from prefix in Gen.Elements("b", "sram #", "it's", "a: b", "\"q\"")
        from list in unified
            ? Buffer(prefix + "0", BufferRole.Unified).Select(b => ImmutableArray.Create(b))
            : from x in Buffer(prefix + "0", order[0]) from y in Buffer(prefix + "1", order[1]) from z in Buffer(prefix + "2", order[2]) select ImmutableArray.Create(x, y, z)
        select list;

    private static Gen<AcceleratorSpec> Spec() =>
        from name in Gen.Elements("x", "edge npu", "o'brien", "true", "12")
        from clock in Number(10_000_000)
        from volts in Number(50_000)
        from node in Gen.Choose(1, 500)
        from timing in OneOf(SpecNames.Timings)
        from rows in Gen.Choose(1, 4096)
        from cols in Gen.Choose(1, 4096)
        from dataflow in OneOf(SpecNames.Dataflows)
        from operands in PricedOperandTypes()
        from requantizer in OneOf(SpecNames.Requantizers)
        from bits in Gen.Choose(2, requantizer == RequantizerArithmetic.FixedPoint ? 32 : 64)
        from overflow in OneOf(SpecNames.Overflows)
        from rounding in OneOf(SpecNames.Roundings)
        from pipeline in Gen.Choose(0, 64)
        from lanes in Gen.Choose(1, 65_536)
        from costs in Gen.ArrayOf(Number(10_000_000), 7)
        from vtypes in Types(SpecNames.VectorTypes)
        from regs in Gen.Choose(1, 1_048_576)
        from buffers in Buffers()
        from dram in OneOf(SpecNames.DramTypes).Where(s_table.DramPjPerBit.ContainsKey)
        from bandwidth in Number(1_000_000_000)
        from latency in Gen.Choose(0, 1_000_000_000).Select(i => i / 1e4)
        from burst in Gen.Choose(1, 65_536)
        select new AcceleratorSpec
        {
            Name = name,
            ClockMhz = clock,
            SupplyVoltageV = volts,
            TechnologyNodeNm = node,
            Timing = timing,
            Array = new ArraySpec
            {
                Rows = rows,
                Cols = cols,
                Dataflow = dataflow,
                OperandTypes = operands,
                PipelineLatencyCycles = pipeline,
                Numerics = new ArrayNumericsSpec { AccumulatorBits = bits, Overflow = overflow, Requantizer = requantizer, FixedPointRounding = rounding },
            },
            VectorUnit = new VectorUnitSpec
            {
                Lanes = lanes,
                Types = vtypes,
                CyclesPerElement = Enum.GetValues<VectorOpClass>().Select((op, i) => (op, costs[i])).ToImmutableDictionary(p => p.op, p => p.Item2),
            },
            Memory = new MemorySpec
            {
                Registers = new RegisterFileSpec { BytesPerPe = regs },
                Buffers = buffers,
                Dram = new DramSpec { Type = dram, BandwidthGBps = bandwidth, LatencyNs = latency, BurstBytes = burst },
            },
        };
}
