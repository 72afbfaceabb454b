namespace SiliconSim.TestSupport.Models;

/// <summary>
/// One conv of a test network: its node scope (the node is <c>{Scope}/Conv</c>), the module whose parameters it takes
/// (<c>{Parameter}.weight</c> [out, in, k, k] and <c>{Parameter}.bias</c> [out]), channels, square kernel, stride
/// (padding kernel / 2 on every side).
/// </summary>
public sealed record ConvLayer(string Scope, string Parameter, int InChannels, int OutChannels, int Kernel, int Stride);
