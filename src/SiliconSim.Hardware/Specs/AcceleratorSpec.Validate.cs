using System.Collections.Immutable;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Hardware.Specs;

public sealed partial record AcceleratorSpec
{
    /// <summary>
    /// Every reason this spec cannot run, all at once (Minsk's diagnostic bag): each value outside its
    /// <see cref="SpecParameters"/> range, and each combination that cannot work (a missing buffer role, a unified
    /// buffer beside per-role ones, a fixed-point requantizer on an accumulator wider than 32 bits, ...). Paths and
    /// values are given in config terms (<c>memory.buffers[1].capacity_kib: must be &gt; 0, got -4</c>). Empty means valid.
    /// </summary>
    public ImmutableArray<SpecProblem> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<SpecProblem>();
        void Range(string path, double value)
        {
            if (SpecParameters.Get(path).CheckRange(value) is string message)
            {
                problems.Add(new SpecProblem(path, message));
            }
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add(new SpecProblem("name", "must not be empty"));
        }

        Range("clock_mhz", ClockMhz);
        Range("supply_voltage_v", SupplyVoltageV);
        Range("technology_node_nm", TechnologyNodeNm);
        ValidateArray(Array, problems, Range);
        ValidateVectorUnit(VectorUnit, problems, Range);
        Range("memory.registers.bytes_per_pe", Memory.Registers.BytesPerPe);
        ValidateBuffers(Memory.Buffers, problems, Range);
        Range("memory.dram.bandwidth_gbps", Memory.Dram.BandwidthGBps);
        Range("memory.dram.latency_ns", Memory.Dram.LatencyNs);
        Range("memory.dram.burst_bytes", Memory.Dram.BurstBytes);
        if (!SpecNames.DramTypes.Names.Any(n => SpecNames.DramTypes.TryParse(n, out string t) && t == Memory.Dram.Type))
        {
            problems.Add(new SpecProblem("memory.dram.type", $"must be one of {SpecParameters.Get("memory.dram.type").RangeText}, got '{Memory.Dram.Type}'"));
        }

        ValidateThermal(Thermal, problems, Range);

        return problems.ToImmutable();
    }

    private static void ValidateArray(ArraySpec array, ImmutableArray<SpecProblem>.Builder problems, Action<string, double> range)
    {
        range("array.rows", array.Rows);
        range("array.cols", array.Cols);
        range("array.accumulator_bits", array.Numerics.AccumulatorBits);
        range("array.pipeline_latency_cycles", array.PipelineLatencyCycles);
        ValidateTypes("array.operand_types", array.OperandTypes, SpecNames.OperandTypes, problems);

        // gemmlowp's fixed-point requantizer multiplies the accumulator by an int32 multiplier in a 64-bit product and
        // keeps the high half (SaturatingRoundingDoublingHighMul); a wider accumulator does not fit that datapath.
        if (array.Numerics.Requantizer == RequantizerArithmetic.FixedPoint && array.Numerics.AccumulatorBits > 32)
        {
            problems.Add(new SpecProblem("array.accumulator_bits",
                $"must be <= 32 with requantizer: fixed_point (its multiplier takes an int32 accumulator), got {array.Numerics.AccumulatorBits}"));
        }
    }

    private static void ValidateVectorUnit(VectorUnitSpec vector, ImmutableArray<SpecProblem>.Builder problems, Action<string, double> range)
    {
        range("vector_unit.lanes", vector.Lanes);
        foreach (VectorOpClass op in Enum.GetValues<VectorOpClass>())
        {
            string path = "vector_unit.cycles_per_element." + SpecNames.VectorOpClasses.Name(op);
            if (vector.CyclesPerElement.TryGetValue(op, out double cycles))
            {
                range(path, cycles);
            }
            else
            {
                problems.Add(new SpecProblem(path, "is missing: every op class needs a cost"));
            }
        }

        ValidateTypes("vector_unit.types", vector.Types, SpecNames.VectorTypes, problems);
    }

    private static void ValidateTypes(string path, ImmutableArray<Numerics.DataType> types, NameTable<Numerics.DataType> table, ImmutableArray<SpecProblem>.Builder problems)
    {
        if (types.IsDefaultOrEmpty)
        {
            problems.Add(new SpecProblem(path, "must list at least one type"));
            return;
        }

        for (int i = 0; i < types.Length; i++)
        {
            if (!table.Names.Any(n => table.TryParse(n, out var t) && t == types[i]))
            {
                problems.Add(new SpecProblem($"{path}[{i}]", $"{Numerics.DataTypeInfo.Name(types[i])} is not one of {string.Join(", ", table.Names)}"));
            }
            else if (types.IndexOf(types[i]) < i)
            {
                problems.Add(new SpecProblem($"{path}[{i}]", $"{table.Name(types[i])} is listed twice"));
            }
        }
    }

    private static void ValidateBuffers(ImmutableArray<BufferSpec> buffers, ImmutableArray<SpecProblem>.Builder problems, Action<string, double> range)
    {
        if (buffers.IsDefaultOrEmpty)
        {
            problems.Add(new SpecProblem("memory.buffers", "must list at least one buffer"));
            return;
        }

        for (int i = 0; i < buffers.Length; i++)
        {
            BufferSpec b = buffers[i];
            string at = $"memory.buffers[{i}].";
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                problems.Add(new SpecProblem(at + "name", "must not be empty"));
            }
            else if (buffers.Take(i).FirstOrDefault(o => string.Equals(o.Name, b.Name, StringComparison.Ordinal)) is not null)
            {
                problems.Add(new SpecProblem(at + "name", $"'{b.Name}' is already the name of memory.buffers[{IndexOfName(buffers, b.Name)}]"));
            }

            range(at + "capacity_kib", b.CapacityBytes / 1024.0);
            range(at + "word_bytes", b.WordBytes);
            range(at + "banks", b.Banks);
            range(at + "ports", b.Ports);
            range(at + "bytes_per_cycle", b.BytesPerCycle);
            long row = (long)b.WordBytes * b.Banks;
            if (b.CapacityBytes > 0 && row > 0 && b.CapacityBytes % row != 0)
            {
                problems.Add(new SpecProblem(at + "capacity_kib",
                    $"{b.CapacityBytes} bytes is not a whole number of rows of word_bytes x banks = {row} bytes"));
            }

            // Each operand must have exactly one home: a second buffer of a role, or a unified buffer beside per-role
            // buffers, leaves the mapping without a rule for which one a tile goes to.
            int first = buffers.IndexOf(buffers.First(o => o.Role == b.Role));
            int unified = buffers.IndexOf(buffers.FirstOrDefault(o => o.Role == BufferRole.Unified) ?? b);
            if (first < i)
            {
                problems.Add(new SpecProblem(at + "role", $"memory.buffers[{first}] already has role {SpecNames.Roles.Name(b.Role)}; each role has one buffer"));
            }
            else if (b.Role != BufferRole.Unified && buffers[unified].Role == BufferRole.Unified)
            {
                problems.Add(new SpecProblem(at + "role",
                    $"memory.buffers[{unified}] is a unified buffer that holds every operand, so no {SpecNames.Roles.Name(b.Role)} buffer may sit beside it"));
            }
        }

        if (!buffers.Any(b => b.Role == BufferRole.Unified))
        {
            foreach (BufferRole role in (BufferRole[])[BufferRole.Input, BufferRole.Weight, BufferRole.Output])
            {
                if (!buffers.Any(b => b.Role == role))
                {
                    string name = SpecNames.Roles.Name(role);
                    problems.Add(new SpecProblem("memory.buffers", $"no buffer holds {name} operands: add one with role: {name}, or use a single buffer with role: unified"));
                }
            }
        }
    }

    private static int IndexOfName(ImmutableArray<BufferSpec> buffers, string name) =>
        buffers.IndexOf(buffers.First(o => string.Equals(o.Name, name, StringComparison.Ordinal)));
}
