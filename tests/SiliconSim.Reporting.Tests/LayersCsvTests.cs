using System.Globalization;
using SiliconSim.Reporting.Tables;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tests;

public sealed class LayersCsvTests
{
    [Fact]
    public void Write_StartsWithTheDocumentedColumns_AndQuotesNamesWithCommas()
    {
        var layer = new LayerResult
        {
            Name = "conv,1",
            OpType = "QLinearConv",
            Kind = LayerKind.Matrix,
            Shape = "M=64 N=8 K=9",
            Macs = 4608,
            Folds = 2,
            ComputeCycles = 100,
            StallCycles = 20,
            Utilization = 0.5,
            SramReadBytes = 1,
            SramWriteBytes = 2,
            DramReadBytes = 3,
            DramWriteBytes = 4,
        };
        var result = new SimulationResult
        {
            Accelerator = "a",
            Model = "m",
            Batch = 1,
            ClockMhz = 1000,
            PeCount = 64,
            DramBandwidthGBps = 10,
            Layers = [layer],
        };
        var writer = new StringWriter();
        LayersCsv.Write(ReportFixtures.Run(result), writer);
        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("layer,op,macs,compute_cycles,stall_cycles,total_cycles,utilization,sram_read_bytes,sram_write_bytes,dram_read_bytes,dram_write_bytes", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("\"conv,1\",QLinearConv,4608,100,20,120,0.5,1,2,3,4,array,", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void Write_AppendsThePlanColumns_WithEachLayersTrafficByCauseOccupancyFusionAndSpills()
    {
        var writer = new StringWriter();
        LayersCsv.Write(ReportFixtures.Planned(residentWeightBytes: 8704), writer);
        List<string[]> rows = [.. writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(Cells)];
        string[] header = rows[0];
        string[] appended =
        [
            "dram_weight_read_bytes", "dram_activation_in_read_bytes", "dram_activation_out_write_bytes", "dram_spill_write_bytes",
            "dram_refill_read_bytes", "resident_activation_bytes", "resident_weight_bytes", "tile_bytes", "fused_into", "spilled",
            "weight_buffer_tile_bytes",
        ];
        Assert.Equal(["unit", "shape", "folds", "ops_per_dram_byte", .. appended], header[11..]);
        Dictionary<string, Dictionary<string, string>> byLayer = rows.Skip(1).ToDictionary(
            r => r[0], r => header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(7, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));

        // The fixture's numbers, written out by hand (ReportFixtures.Planned).
        Assert.Equal("3072", byLayer["in_quant"]["dram_activation_in_read_bytes"]);
        Assert.Equal("1152", byLayer["conv0"]["dram_weight_read_bytes"]);
        Assert.Equal("8192", byLayer["conv0"]["tile_bytes"]);
        Assert.Equal("2304", byLayer["conv0"]["weight_buffer_tile_bytes"]);
        Assert.Equal("0", byLayer["conv1"]["weight_buffer_tile_bytes"]);
        Assert.Equal("conv0", byLayer["relu0"]["fused_into"]);
        Assert.Equal("", byLayer["conv0"]["fused_into"]);
        Assert.Equal("16384", byLayer["relu0"]["resident_activation_bytes"]);
        Assert.Equal("20480", byLayer["conv1"]["dram_spill_write_bytes"]);
        Assert.Equal("0", byLayer["conv1"]["dram_refill_read_bytes"]);
        Assert.Equal("40960", byLayer["conv1"]["resident_activation_bytes"]);
        Assert.Equal("relu0_out;skip,a", byLayer["conv1"]["spilled"]);
        Assert.Equal("", byLayer["conv2"]["spilled"]);
        Assert.Equal("20480", byLayer["conv2"]["dram_refill_read_bytes"]);
        Assert.Equal("64", byLayer["fc"]["dram_activation_out_write_bytes"]);
        Assert.Equal("8704", byLayer["fc"]["resident_weight_bytes"]);

        // The causes add up to the totals the first columns give.
        Assert.All(byLayer.Values, c =>
        {
            Assert.Equal(long.Parse(c["dram_read_bytes"], CultureInfo.InvariantCulture), Sum(c, "dram_weight_read_bytes", "dram_activation_in_read_bytes", "dram_refill_read_bytes"));
            Assert.Equal(long.Parse(c["dram_write_bytes"], CultureInfo.InvariantCulture), Sum(c, "dram_activation_out_write_bytes", "dram_spill_write_bytes"));
        });
    }

    private static long Sum(Dictionary<string, string> cells, params string[] columns) =>
        columns.Sum(c => long.Parse(cells[c], CultureInfo.InvariantCulture));

    /// <summary>One RFC 4180 record without line breaks in fields: commas split unless quoted, "" is a quote.</summary>
    private static string[] Cells(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}
