namespace SiliconSim.Simulation;

/// <summary>
/// Why a model cannot run on an accelerator as configured: the config field at fault (a config path such as
/// <c>array.operand_types</c> or <c>memory.buffers[1].capacity_kib</c>, so the caller can point at the YAML line) and
/// what is wrong, naming the layer.
/// </summary>
public sealed record SimulationProblem(string ConfigPath, string Message);
