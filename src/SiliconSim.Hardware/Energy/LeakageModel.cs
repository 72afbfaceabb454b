using System.Globalization;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Hardware.Energy;

/// <summary>
/// The accelerator's leakage power, the one model that both energy accounting and the thermal model use:
/// <c>P_leak(T, V) = P0 · (V / V0) · exp(k · (T − T0))</c> with <c>k = ln 2 / leakage_doubling_c</c>, where P0 is the
/// die's leakage at junction temperature T0 and the nominal supply V0.
/// <list type="bullet">
/// <item>Temperature: the exponential of HotLeakage (Zhang et al., UVa CS-2003-05), subthreshold leakage doubling every
/// <see cref="DoublingC"/> kelvin.</item>
/// <item>Voltage: linear, the leakage current held at its nominal value (drain-induced barrier lowering, which makes it
/// superlinear, is ignored), so a DVFS step at V leaks V/V0 as much.</item>
/// <item>Frequency: none. Leakage flows whether or not anything switches; a run's leakage energy depends on the clock
/// only through the time the run takes.</item>
/// </list>
/// <see cref="Of"/> takes P0 from exactly one place: <c>thermal.leakage_power_w</c> when the config gives it (a
/// whole-die figure that replaces the table's), otherwise the energy table's <c>leakage</c> section.
/// </summary>
public sealed record LeakageModel
{
    /// <summary>P0: leakage power at <see cref="ReferenceJunctionC"/> and <see cref="NominalVoltageV"/>, W.</summary>
    public required double ReferencePowerW { get; init; }

    /// <summary>T0: the junction temperature at which <see cref="ReferencePowerW"/> holds, °C.</summary>
    public required double ReferenceJunctionC { get; init; }

    /// <summary>V0: the accelerator's nominal supply voltage (<c>supply_voltage_v</c>), V.</summary>
    public required double NominalVoltageV { get; init; }

    /// <summary>The junction temperature rise that doubles leakage (<c>thermal.leakage_doubling_c</c>), K.</summary>
    public required double DoublingC { get; init; }

    /// <summary>Where <see cref="ReferencePowerW"/> comes from, in words (the config key or the table and its arithmetic).</summary>
    public required string Source { get; init; }

    /// <summary>k in exp(k · (T − T0)), 1/K.</summary>
    public double CoefficientPerK => Math.Log(2) / DoublingC;

    /// <summary>Leakage power at <paramref name="junctionC"/> and <paramref name="supplyVoltageV"/>, W.</summary>
    public double PowerW(double junctionC, double supplyVoltageV) =>
        ReferencePowerW * (supplyVoltageV / NominalVoltageV) * Math.Exp(CoefficientPerK * (junctionC - ReferenceJunctionC));

    /// <summary>Leakage power at <paramref name="junctionC"/> and the nominal voltage, W.</summary>
    public double PowerW(double junctionC) => PowerW(junctionC, NominalVoltageV);

    /// <summary>
    /// The leakage of <paramref name="accelerator"/>: P0 = <c>thermal.leakage_power_w</c> at
    /// <c>thermal.leakage_reference_c</c> when given; otherwise the table's
    /// <c>(KiB of SRAM x sram_uw_per_kib + PEs x pe_uw)</c> at its <c>leakage.reference_c</c>, scaled from the table's
    /// node and voltage by <see cref="EnergyTableSpec.LeakageScaleFactor"/>. The temperature law is the thermal section's
    /// <c>leakage_doubling_c</c> either way.
    /// </summary>
    public static LeakageModel Of(EnergyTableSpec table, AcceleratorSpec accelerator)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(accelerator);
        ThermalSpec thermal = accelerator.Thermal;
        if (thermal.LeakagePowerW is double given)
        {
            double at = thermal.LeakageReferenceCOrDefault;
            return new LeakageModel
            {
                ReferencePowerW = given,
                ReferenceJunctionC = at,
                NominalVoltageV = accelerator.SupplyVoltageV,
                DoublingC = thermal.LeakageDoublingC,
                Source = string.Create(CultureInfo.InvariantCulture, $"thermal.leakage_power_w: {given:G4} W at {at:G4} C and {accelerator.SupplyVoltageV:G4} V (replaces the leakage of energy table '{table.Name}')"),
            };
        }

        double kib = accelerator.Memory.Buffers.Sum(b => b.CapacityBytes) / 1024.0;
        int pes = accelerator.Array.PeCount;
        double scale = table.LeakageScaleFactor(accelerator.TechnologyNodeNm, accelerator.SupplyVoltageV);
        double watts = ((kib * table.SramLeakageUwPerKib) + (pes * table.PeLeakageUw)) * 1e-6 * scale;
        return new LeakageModel
        {
            ReferencePowerW = watts,
            ReferenceJunctionC = table.LeakageReferenceC,
            NominalVoltageV = accelerator.SupplyVoltageV,
            DoublingC = thermal.LeakageDoublingC,
            Source = string.Create(CultureInfo.InvariantCulture,
                $"energy table '{table.Name}': {kib:G6} KiB x {table.SramLeakageUwPerKib:G4} uW/KiB + {pes} PEs x {table.PeLeakageUw:G4} uW at {table.LeakageReferenceC:G4} C, x {scale:G4} from {table.TechnologyNodeNm} nm {table.SupplyVoltageV:G4} V to {accelerator.TechnologyNodeNm} nm {accelerator.SupplyVoltageV:G4} V"),
        };
    }
}
