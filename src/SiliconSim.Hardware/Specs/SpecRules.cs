using System.Collections.Immutable;
using SiliconSim.Hardware.Specs.Parameters;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Hardware.Specs;

/// <summary>
/// The rules a spec obeys beyond each value's own range: combinations of fields (throttle_c &lt;= max_junction_c, one
/// buffer per role, unique buffer names, whole rows of SRAM). Each rule takes exactly the values it reads, so
/// <see cref="AcceleratorSpec.Validate"/> applies it to a built spec and the config binder applies it as soon as those
/// values are known to be good, without a whole spec and without placeholders for the values that are not.
/// Paths and messages are in config terms.
/// </summary>
public static class SpecRules
{
    /// <summary>A name (of the accelerator or of a buffer) must say something.</summary>
    public static SpecProblem? NotEmpty(string path, string name) =>
        string.IsNullOrWhiteSpace(name) ? new SpecProblem(path, "must not be empty") : null;

    /// <summary>
    /// gemmlowp's fixed-point requantizer multiplies the accumulator by an int32 multiplier in a 64-bit product and
    /// keeps the high half (SaturatingRoundingDoublingHighMul); a wider accumulator does not fit that datapath.
    /// </summary>
    public static SpecProblem? FixedPointAccumulator(RequantizerArithmetic requantizer, int accumulatorBits) =>
        requantizer == RequantizerArithmetic.FixedPoint && accumulatorBits > 32
            ? new SpecProblem("array.accumulator_bits", $"must be <= 32 with requantizer: fixed_point (its multiplier takes an int32 accumulator), got {accumulatorBits}")
            : null;

    /// <summary>A type list names at least one type, each from <paramref name="table"/> and each once.</summary>
    public static IEnumerable<SpecProblem> Types(string path, ImmutableArray<DataType> types, NameTable<DataType> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (types.IsDefaultOrEmpty)
        {
            yield return new SpecProblem(path, "must list at least one type");
            yield break;
        }

        for (int i = 0; i < types.Length; i++)
        {
            if (!table.Names.Any(n => table.TryParse(n, out var t) && t == types[i]))
            {
                yield return new SpecProblem($"{path}[{i}]", $"{DataTypeInfo.Name(types[i])} is not one of {string.Join(", ", table.Names)}");
            }
            else if (types.IndexOf(types[i]) < i)
            {
                yield return new SpecProblem($"{path}[{i}]", $"{table.Name(types[i])} is listed twice");
            }
        }
    }

    /// <summary>The memory has at least one buffer.</summary>
    public static SpecProblem? SomeBuffer(int count) =>
        count == 0 ? new SpecProblem("memory.buffers", "must list at least one buffer") : null;

    /// <summary>
    /// Buffer <paramref name="index"/>'s name is not empty and not an earlier buffer's; <paramref name="names"/> holds
    /// every buffer's name, null where it is not known (the rule then says nothing about it).
    /// </summary>
    public static SpecProblem? BufferName(int index, IReadOnlyList<string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string at = $"memory.buffers[{index}].name";
        if (names[index] is not string name)
        {
            return null;
        }

        if (NotEmpty(at, name) is { } empty)
        {
            return empty;
        }

        for (int j = 0; j < index; j++)
        {
            if (string.Equals(names[j], name, StringComparison.Ordinal))
            {
                return new SpecProblem(at, $"'{name}' is already the name of memory.buffers[{j}]");
            }
        }

        return null;
    }

    /// <summary>A buffer's capacity is a whole number of rows of <c>word_bytes x banks</c>.</summary>
    public static SpecProblem? WholeRows(int index, long capacityBytes, int wordBytes, int banks)
    {
        long row = (long)wordBytes * banks;
        return capacityBytes > 0 && row > 0 && capacityBytes % row != 0
            ? new SpecProblem($"memory.buffers[{index}].capacity_kib", $"{capacityBytes} bytes is not a whole number of rows of word_bytes x banks = {row} bytes")
            : null;
    }

    /// <summary>
    /// Each operand must have exactly one home: a second buffer of a role, or a unified buffer beside per-role buffers,
    /// leaves the mapping without a rule for which one a tile goes to. <paramref name="roles"/> is every buffer's role.
    /// </summary>
    public static SpecProblem? BufferRole(int index, IReadOnlyList<BufferRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        BufferRole role = roles[index];
        int first = IndexOf(roles, role);
        int unified = IndexOf(roles, Specs.BufferRole.Unified);
        string at = $"memory.buffers[{index}].role";
        if (first < index)
        {
            return new SpecProblem(at, $"memory.buffers[{first}] already has role {SpecNames.Roles.Name(role)}; each role has one buffer");
        }

        return role != Specs.BufferRole.Unified && unified >= 0
            ? new SpecProblem(at, $"memory.buffers[{unified}] is a unified buffer that holds every operand, so no {SpecNames.Roles.Name(role)} buffer may sit beside it")
            : null;
    }

    /// <summary>Without a unified buffer, each of input, weight and output needs a buffer of its role.</summary>
    public static IEnumerable<SpecProblem> MissingRoles(IReadOnlyList<BufferRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Contains(Specs.BufferRole.Unified))
        {
            yield break;
        }

        foreach (BufferRole role in (BufferRole[])[Specs.BufferRole.Input, Specs.BufferRole.Weight, Specs.BufferRole.Output])
        {
            if (!roles.Contains(role))
            {
                string name = SpecNames.Roles.Name(role);
                yield return new SpecProblem("memory.buffers", $"no buffer holds {name} operands: add one with role: {name}, or use a single buffer with role: unified");
            }
        }
    }

    /// <summary>The governor must act before the junction reaches its limit.</summary>
    public static SpecProblem? ThrottleBelowLimit(double throttleC, double maxJunctionC) =>
        throttleC > maxJunctionC
            ? new SpecProblem("thermal.throttle_c", $"must be <= max_junction_c ({maxJunctionC}) so the governor acts before the limit, got {throttleC}")
            : null;

    /// <summary>The governor releases at throttle_c - hysteresis_c; at or below ambient it could never step back up.</summary>
    public static SpecProblem? ReleaseAboveAmbient(double throttleC, double hysteresisC, double ambientC) =>
        throttleC - hysteresisC <= ambientC
            ? new SpecProblem("thermal.hysteresis_c", $"throttle_c - hysteresis_c = {throttleC - hysteresisC} must be above ambient_c ({ambientC}), or a throttled part never recovers")
            : null;

    /// <summary>
    /// <c>thermal.leakage_reference_c</c> is the temperature of <c>thermal.leakage_power_w</c> and of nothing else: the
    /// energy table's leakage carries its own <c>leakage.reference_c</c>. Given alone it would change nothing, so it is
    /// refused rather than silently ignored.
    /// </summary>
    public static SpecProblem? LeakageReferenceNeedsPower(double? leakagePowerW, double? leakageReferenceC) =>
        leakageReferenceC is not null && leakagePowerW is null
            ? new SpecProblem("thermal.leakage_reference_c", "is the temperature of thermal.leakage_power_w, which is not set (the energy table's leakage carries its own leakage.reference_c): set both or neither")
            : null;

    /// <summary>DVFS steps go from fastest to slowest: step <paramref name="index"/> is slower than the one before.</summary>
    public static SpecProblem? StepSlower(int index, double frequencyMhz, double previousMhz) =>
        frequencyMhz >= previousMhz
            ? new SpecProblem($"thermal.dvfs_steps[{index}].frequency_mhz", $"steps must go from fastest to slowest: {frequencyMhz} is not below {previousMhz}")
            : null;

    /// <summary>A slower DVFS step needs no more voltage than the faster one before it.</summary>
    public static SpecProblem? StepVoltageNotHigher(int index, double voltageV, double previousV) =>
        voltageV > previousV
            ? new SpecProblem($"thermal.dvfs_steps[{index}].voltage_v", $"a slower step needs no more voltage than a faster one: {voltageV} is above {previousV}")
            : null;

    private static int IndexOf(IReadOnlyList<BufferRole> roles, BufferRole role)
    {
        for (int i = 0; i < roles.Count; i++)
        {
            if (roles[i] == role)
            {
                return i;
            }
        }

        return -1;
    }
}
