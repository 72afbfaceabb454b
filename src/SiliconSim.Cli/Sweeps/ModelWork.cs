using System.Collections.Immutable;
using SiliconSim.Simulation;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// A model prepared once per sweep: lowered, executed functionally (values do not depend on timing), its layers
/// extracted; every point of the model then only runs the timing model on these layers. A SCALE-Sim topology has
/// layers only (no operand types: the timing model then takes the array's).
/// </summary>
internal sealed record ModelWork(string Path, string Name, string Sha256, ImmutableArray<LayerWork> Layers, int Batch, OperandTypes? OperandTypes, string Values);
