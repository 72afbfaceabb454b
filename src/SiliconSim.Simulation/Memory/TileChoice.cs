namespace SiliconSim.Simulation.Memory;

/// <summary>One candidate tiling with its closed-form DRAM traffic (burst-rounded bytes) and tile count.</summary>
internal readonly record struct TileChoice(
    long GroupsPerTile,
    int Axis,
    long Extent,
    long UnitsPerTile,
    long NTile,
    int OrderIndex,
    bool OutputHoldsPartialSums,
    long InputTileBytes,
    long WeightTileBytes,
    long OutputTileBytes,
    long DramBytes,
    long TileCount)
{
    public LoopOrder Order => LoopOrder.All[OrderIndex];
}
