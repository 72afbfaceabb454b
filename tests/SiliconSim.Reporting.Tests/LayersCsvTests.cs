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
}
