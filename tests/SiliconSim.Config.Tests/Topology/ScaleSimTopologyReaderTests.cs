using SiliconSim.Config.Topology;
using SiliconSim.Simulation.Layers;

namespace SiliconSim.Config.Tests.Topology;

public sealed class ScaleSimTopologyReaderTests
{
    private const string ConvHeader = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

    [Fact]
    public void ConvRow_UsesScaleSimsNoPaddingOfmap_AndTheGemmView()
    {
        // AlexNet conv1 as SCALE-Sim's alexnet_part.csv: (224 - 11) / 4 + 1 = 54 (floor), so M = 54 x 54.
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(ConvHeader + "Conv1,  224, 224,    11, 11,    3,      96,     4,", "a.csv"));
        Assert.Equal("Conv1", layer.Name);
        Assert.Equal(new GemmShape(54 * 54, 96, 11 * 11 * 3), layer.Gemm);
        Assert.Equal(1, layer.Groups);
        Assert.Equal([54, 54], layer.Conv!.OutSpatial);
        Assert.Equal(224 * 224 * 3, layer.InputBytes);
        Assert.Equal(11 * 11 * 3 * 96, layer.WeightBytes);
        Assert.Equal(54 * 54 * 96, layer.OutputBytes);
    }

    [Fact]
    public void ConvRow_NinthColumn_IsTheStrideAlongTheWidth()
    {
        MatrixLayer layer = Assert.Single(ScaleSimTopologyReader.Parse(ConvHeader + "c, 10, 9, 3, 3, 2, 4, 1, 2,", "a.csv"));
        Assert.Equal([8, 4], layer.Conv!.OutSpatial);
        Assert.Equal(new GemmShape(32, 4, 18), layer.Gemm);
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

    [Fact]
    public void EmptyText_IsAnError()
    {
        Assert.Throws<FormatException>(() => ScaleSimTopologyReader.Parse("  \n", "e.csv"));
    }

    [Theory]
    [InlineData("alexnet_part.csv", 1, 54L * 54 * 363 * 96)]
    [InlineData("test.csv", 1, 5L * 5 * 9 * 192 * 384)]
    [InlineData("test_mnk_input.csv", 1, 256L * 128 * 256)]
    [InlineData("mobilnet_paper.csv", 28, -1)]
    [InlineData("resnet18_224.csv", 21, 1_814_073_344)] // the published ResNet-18 figure: 1.8 GMAC at 224 x 224
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
