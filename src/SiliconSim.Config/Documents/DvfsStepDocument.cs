namespace SiliconSim.Config.Documents;

/// <summary>One item of <c>thermal.dvfs_steps:</c> as written (null = absent).</summary>
public sealed class DvfsStepDocument
{
    public double? FrequencyMhz { get; set; }

    public double? VoltageV { get; set; }
}
