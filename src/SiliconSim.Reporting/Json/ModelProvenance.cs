namespace SiliconSim.Reporting.Json;

/// <summary>The model file a run used: its path and SHA-256 (hex).</summary>
internal sealed record ModelProvenance(string Path, string Sha256);
