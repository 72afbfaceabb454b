using SiliconSim.Config.Topology;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Config.Tests.Topology;

public sealed class ScaleSimTopologyReaderTests
{
    private const string ConvHeader = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

    [Fact]
    public void ConvRow_UsesScaleSimsCeilOfmap_AndTheGemmView()
    {
        // AlexNet conv1 as SCALE-Sim's alexnet_part.csv: ceil((224 - 11 + 4) / 4) = 55 (topology_utils.py), not the floor
        // rule's (224 - 11) / 4 + 1 = 54, so M = 55 x 55; the last window overhangs by 3, which is end padding.
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(ConvHeader + "Conv1,  224, 224,    11, 11,    3,      96,     4,", "a.csv"));
        Assert.Equal("Conv1", layer.Name);
        Assert.Equal(new GemmShape(55 * 55, 96, 11 * 11 * 3), layer.Gemm);
        Assert.Equal(1, layer.Groups);
        Assert.Equal([55, 55], layer.Conv!.OutSpatial);
        Assert.Equal([0, 0], layer.Conv.PadsBegin);
        Assert.Equal([3, 3], layer.Conv.PadsEnd);
        Assert.Equal(224 * 224 * 3, layer.InputBytes);
        Assert.Equal(11 * 11 * 3 * 96, layer.WeightBytes);
        Assert.Equal(55 * 55 * 96, layer.OutputBytes);
    }

    [Fact]
    public void ConvRow_NinthColumn_IsTheStrideAlongTheWidth()
    {
        // Width: ceil((9 - 3 + 2) / 2) = 4, exact, so no padding; height stride 1 always divides.
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(ConvHeader + "c, 10, 9, 3, 3, 2, 4, 1, 2,", "a.csv"));
        Assert.Equal([8, 4], layer.Conv!.OutSpatial);
        Assert.Equal(new GemmShape(32, 4, 18), layer.Gemm);
        Assert.Equal([0, 0], layer.Conv.PadsEnd);
    }

    [Fact]
    public void GemmRows_AreMNK_AndDetectedFromTheHeader()
    {
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse("Layer Name, M, N, K,\nTest 1, 256, 128, 256,", "g.csv"));
        Assert.Equal("Test 1", layer.Name);
        Assert.Equal(new GemmShape(256, 128, 256), layer.Gemm);
        Assert.Null(layer.Conv);
    }

    [Fact]
    public void DpRow_IsDepthwise_OneGroupPerChannel()
    {
        // SCALE-Sim runs "DP" rows as one layer per channel with one input channel and all the row's filters.
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(ConvHeader + "Conv2_DP, 10, 10, 3, 3, 32, 1, 1,", "m.csv"));
        Assert.Equal(32, layer.Groups);
        Assert.Equal(new GemmShape(64, 1, 9), layer.Gemm);
        Assert.Equal(32L * 64 * 9, layer.Macs);
    }

    [Fact]
    public void CommentsBlankLinesAndMissingTrailingComma_AreTolerated()
    {
        string text = ConvHeader + "\n\ta, 8, 8, 3, 3, 1, 1, 1,#dw\r\nb,8,8,1,1,4,4,1\n,,,,,,,,\n";
        var layers = ScaleSimTopologyReader.Parse(text, "t.csv");
        Assert.Equal(["a", "b"], layers.Select(l => l.Name));
    }

    [Fact]
    public void BadRows_AreAllReported_WithFileLineAndColumn()
    {
        string text = ConvHeader + "ok, 8, 8, 3, 3, 1, 1, 1,\nbad, 8, x8, 3, 3, 1, 1, 1,\nbig, 4, 4, 5, 3, 1, 1, 1,\nshort, 4, 4,\nneg, 8, 8, 3, 3, 1, 1, 0,";
        var e = Assert.Throws<FormatException>(() => ScaleSimTopologyReader.Parse(text, "net.csv"));
        Assert.Contains("net.csv:3:9: field 'IFMAP Width' must be a positive integer, got 'x8'", e.Message, StringComparison.Ordinal);
        Assert.Contains("net.csv:4:12: Filter Height 5 is larger than IFMAP Height 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("net.csv:5:", e.Message, StringComparison.Ordinal);
        Assert.Contains("net.csv:6:", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Strides'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(224, 11, 4, 55)] // (224 - 11) = 213 = 53 x 4 + 1: the floor rule gives 54
    [InlineData(230, 7, 2, 113)] // ResNet-18 conv1 as resnet18_224.csv writes it (the floor rule gives 112)
    [InlineData(8, 3, 1, 6)]
    [InlineData(3, 3, 2, 1)]
    [InlineData(9, 3, 2, 4)]
    public void OutputSize_IsScaleSimsCeilRule(long ifmap, long filter, long stride, long expected)
    {
        Assert.Equal(expected, ScaleSimTopologyReader.OutputSize(ifmap, filter, stride));
        Assert.Equal(expected, (long)Math.Ceiling((ifmap - filter + stride) / (double)stride));
    }

    [Fact]
    public void EmptyText_IsAnError()
    {
        Assert.Throws<FormatException>(() => ScaleSimTopologyReader.Parse("  \n", "e.csv"));
    }

    [Theory]
    [InlineData("alexnet_part.csv", 1, 55L * 55 * 363 * 96)]
    [InlineData("test.csv", 1, 5L * 5 * 9 * 192 * 384)]
    [InlineData("test_mnk_input.csv", 1, 256L * 128 * 256)]
    [InlineData("mobilnet_paper.csv", 28, -1)]
    [InlineData("resnet18_224.csv", 21, 1_850_023_104)] // the file pre-pads for the floor rule (conv1 230 x 230), so SCALE-Sim's ceil rule adds a row and column where the stride does not divide: 2 % more than the published 1.81 GMAC
    public void ShippedTopologies_Parse(string file, int layerCount, long macs)
    {
        var layers = ScaleSimTopologyReader.Parse(File.ReadAllText(ScaleSimFiles.Path(file)), file);
        Assert.Equal(layerCount, layers.Length);
        if (macs >= 0)
        {
            Assert.Equal(macs, layers.Sum(l => l.Macs));
        }
    }
}
