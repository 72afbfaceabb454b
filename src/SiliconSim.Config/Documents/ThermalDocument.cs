using System.Collections.Immutable;

namespace SiliconSim.Config.Documents;

/// <summary>The <c>thermal:</c> section as written (null = absent).</summary>
public sealed class ThermalDocument
{
    public double? AmbientC { get; set; }

    public double? JunctionToSpreaderKPerW { get; set; }

    public double? SpreaderToHeatsinkKPerW { get; set; }

    public double? HeatsinkToAmbientKPerW { get; set; }

    public double? JunctionCapacitanceJPerK { get; set; }

    public double? SpreaderCapacitanceJPerK { get; set; }

    public double? HeatsinkCapacitanceJPerK { get; set; }

    public double? LeakagePowerW { get; set; }

    public double? LeakageReferenceC { get; set; }

    public double? LeakageDoublingC { get; set; }

    public double? IdlePowerW { get; set; }

    public double? MaxJunctionC { get; set; }

    public double? ThrottleC { get; set; }

    public double? HysteresisC { get; set; }

    public double? ControlPeriodMs { get; set; }

    public ImmutableArray<DvfsStepDocument>? DvfsSteps { get; set; }
}
