namespace SiliconSim.Hardware.Specs;

// Value equality over the DVFS list (records would compare the ImmutableArray by reference).
public sealed partial record ThermalSpec
{
    public bool Equals(ThermalSpec? other) =>
        other is not null
        && AmbientC == other.AmbientC
        && JunctionToSpreaderKPerW == other.JunctionToSpreaderKPerW
        && SpreaderToHeatsinkKPerW == other.SpreaderToHeatsinkKPerW
        && HeatsinkToAmbientKPerW == other.HeatsinkToAmbientKPerW
        && JunctionCapacitanceJPerK == other.JunctionCapacitanceJPerK
        && SpreaderCapacitanceJPerK == other.SpreaderCapacitanceJPerK
        && HeatsinkCapacitanceJPerK == other.HeatsinkCapacitanceJPerK
        && LeakagePowerW == other.LeakagePowerW
        && LeakageReferenceC == other.LeakageReferenceC
        && LeakageDoublingC == other.LeakageDoublingC
        && IdlePowerW == other.IdlePowerW
        && MaxJunctionC == other.MaxJunctionC
        && ThrottleC == other.ThrottleC
        && HysteresisC == other.HysteresisC
        && ControlPeriodMs == other.ControlPeriodMs
        && DvfsSteps.IsDefaultOrEmpty == other.DvfsSteps.IsDefaultOrEmpty
        && (DvfsSteps.IsDefaultOrEmpty || DvfsSteps.SequenceEqual(other.DvfsSteps));

    public override int GetHashCode() => HashCode.Combine(AmbientC, HeatsinkToAmbientKPerW, LeakagePowerW, ThrottleC, DvfsSteps.IsDefaultOrEmpty ? 0 : DvfsSteps.Length);
}
