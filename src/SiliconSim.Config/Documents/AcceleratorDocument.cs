namespace SiliconSim.Config.Documents;

/// <summary>
/// The top of a config file as written: every member is null when absent. Required-ness, types and ranges are checked
/// by the config binder against the parameter catalogue so that all problems are reported at once; defaults are
/// applied by <see cref="SpecMapper"/>.
/// </summary>
public sealed class AcceleratorDocument
{
    public string? Name { get; set; }

    public double? ClockMhz { get; set; }

    public double? SupplyVoltageV { get; set; }

    public long? TechnologyNodeNm { get; set; }

    public string? Timing { get; set; }

    public string? Energy { get; set; }

    public ArrayDocument? Array { get; set; }

    public VectorUnitDocument? VectorUnit { get; set; }

    public MemoryDocument? Memory { get; set; }

    public ThermalDocument? Thermal { get; set; }
}
