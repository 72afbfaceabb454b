using System.Globalization;
using SiliconSim.Simulation.Pipeline;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tables;

/// <summary>
/// Writes <c>layers.csv</c>: one row per layer in execution order, invariant culture, RFC 4180 quoting. The first eleven
/// columns are the documented contract; later columns may be added, never reordered. From <c>dram_weight_read_bytes</c>
/// on, the network memory plan: the layer's DRAM bytes by cause (they sum to <c>dram_read_bytes</c> and
/// <c>dram_write_bytes</c>), what the buffers held while it ran, the matrix layer whose epilogue ran it (empty when it
/// ran on its own) and the activations spilled to DRAM at it, separated by <c>;</c>.
/// </summary>
public static class LayersCsv
{
    public static readonly string[] Columns =
    [
        "layer", "op", "macs", "compute_cycles", "stall_cycles", "total_cycles", "utilization",
        "sram_read_bytes", "sram_write_bytes", "dram_read_bytes", "dram_write_bytes",
        "unit", "shape", "folds", "ops_per_dram_byte",
        "dram_weight_read_bytes", "dram_activation_in_read_bytes", "dram_activation_out_write_bytes",
        "dram_spill_write_bytes", "dram_refill_read_bytes",
        "resident_activation_bytes", "resident_weight_bytes", "tile_bytes", "fused_into", "spilled",
        "weight_buffer_tile_bytes",
    ];

    public static void Write(RunResult run, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(',', Columns));
        foreach (LayerResult l in run.Performance.Layers)
        {
            string[] cells =
            [
                Quote(l.Name), Quote(l.OpType), Int(l.Macs), Int(l.ComputeCycles), Int(l.StallCycles), Int(l.TotalCycles),
                l.Utilization.ToString("0.######", CultureInfo.InvariantCulture),
                Int(l.SramReadBytes), Int(l.SramWriteBytes), Int(l.DramReadBytes), Int(l.DramWriteBytes),
                l.Kind == LayerKind.Matrix ? "array" : "vector", Quote(l.Shape), Int(l.Folds),
                double.IsPositiveInfinity(l.OpsPerDramByte) ? "inf" : l.OpsPerDramByte.ToString("0.###", CultureInfo.InvariantCulture),
                Int(l.Dram.WeightReadBytes), Int(l.Dram.ActivationInReadBytes), Int(l.Dram.ActivationOutWriteBytes),
                Int(l.Dram.SpillWriteBytes), Int(l.Dram.RefillReadBytes),
                Int(l.Occupancy.ResidentActivationBytes), Int(l.Occupancy.ResidentWeightBytes), Int(l.Occupancy.TileBytes),
                Quote(l.FusedInto ?? ""), Quote(string.Join(';', l.Occupancy.Spilled)),
                Int(l.Occupancy.WeightBufferTileBytes),
            ];
            writer.WriteLine(string.Join(',', cells));
        }
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
