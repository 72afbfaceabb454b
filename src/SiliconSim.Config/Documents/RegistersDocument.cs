namespace SiliconSim.Config.Documents;

/// <summary>The <c>memory.registers:</c> section as written (null = absent).</summary>
public sealed class RegistersDocument
{
    public long? BytesPerPe { get; set; }
}
