using SiliconSim.Hardware.Specs;
using SiliconSim.Simulation.Vectors;

namespace SiliconSim.Simulation.Tests.Vectors;

/// <summary>A matrix layer's operands, a tiling of it, and the array it runs on.</summary>
public sealed record TileCase(MatrixOperands Operands, TilePlan Plan, Dataflow Dataflow, int Rows, int Cols)
{
    public override string ToString() =>
        $"G={Operands.Groups} M={Operands.M} N={Operands.N} K={Operands.K} groups/tile={Plan.GroupsPerTile} M ranges [{string.Join(' ', Plan.MRanges.Select(r => $"{r.Start}+{r.Count}"))}] NTile={Plan.NTile} KTile={Plan.KTile} {Dataflow} {Rows}x{Cols}";
}
