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

        Add(problems, SpecRules.NotEmpty("name", Name));

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
        problems.AddRange(SpecRules.Types("array.operand_types", array.OperandTypes, SpecNames.OperandTypes));
        Add(problems, SpecRules.FixedPointAccumulator(array.Numerics.Requantizer, array.Numerics.AccumulatorBits));
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

        problems.AddRange(SpecRules.Types("vector_unit.types", vector.Types, SpecNames.VectorTypes));
    }

    private static void ValidateBuffers(ImmutableArray<BufferSpec> buffers, ImmutableArray<SpecProblem>.Builder problems, Action<string, double> range)
    {
        if (SpecRules.SomeBuffer(buffers.IsDefault ? 0 : buffers.Length) is { } none)
        {
            problems.Add(none);
            return;
        }

        string?[] names = [.. buffers.Select(b => b.Name)];
        BufferRole[] roles = [.. buffers.Select(b => b.Role)];
        for (int i = 0; i < buffers.Length; i++)
        {
            BufferSpec b = buffers[i];
            string at = $"memory.buffers[{i}].";
            Add(problems, SpecRules.BufferName(i, names));
            range(at + "capacity_kib", b.CapacityBytes / 1024.0);
            range(at + "word_bytes", b.WordBytes);
            range(at + "banks", b.Banks);
            range(at + "ports", b.Ports);
            range(at + "bytes_per_cycle", b.BytesPerCycle);
            Add(problems, SpecRules.WholeRows(i, b.CapacityBytes, b.WordBytes, b.Banks));
            Add(problems, SpecRules.BufferRole(i, roles));
        }

        problems.AddRange(SpecRules.MissingRoles(roles));
    }

    private static void Add(ImmutableArray<SpecProblem>.Builder problems, SpecProblem? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
