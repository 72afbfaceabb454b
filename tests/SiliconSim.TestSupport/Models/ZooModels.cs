using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>
/// Small fp32 conv nets with seeded weights for end-to-end tests (opset 17, input "input" [N, 3, H, W] with a symbolic
/// batch, output "logits" [N, 10]): a ResNet-style stack and a MobileNetV2-style inverted-residual stack.
/// </summary>
public static class ZooModels
{
    /// <summary>The models by name, with their input's channel and spatial sizes.</summary>
    public static IReadOnlyList<(string Name, Func<int, byte[]> Build, int Channels, int Size)> All { get; } =
    [
        ("resnet_mini", ResNet, 3, 16),
        ("mobilenetv2_mini", MobileNetV2, 3, 16),
    ];

    /// <summary>
    /// ResNet-style: stem conv 3->16 + Relu; a basic block at 16 channels (conv-relu-conv, identity Add, Relu); a
    /// strided basic block 16->32 whose shortcut is a 1x1 stride-2 projection conv; another 32-channel block; global
    /// average pool and a Gemm to 10 classes. BatchNorm is folded into the convs (weights and bias).
    /// </summary>
    public static byte[] ResNet(int seed)
    {
        var b = new OnnxBuilder(opset: 17).Input("input", DataType.Float, null, 3, 16, 16);
        var c = new CnnBuilder(b, seed);
        string x = c.Relu(c.Conv("input", 3, 16, 3));
        x = BasicBlock(c, x, 16, 16, 1);
        x = BasicBlock(c, x, 16, 32, 2);
        x = BasicBlock(c, x, 32, 32, 1);
        c.Head(x, 32, 10, "logits");
        return b.Output("logits", DataType.Float).ToBytes();
    }

    /// <summary>
    /// MobileNetV2-style: stem conv 3->16 + Relu6; inverted residuals (1x1 expand + Relu6, depthwise 3x3 + Relu6, 1x1
    /// linear projection, residual Add when the stride is 1 and the channels match): 16->16 (t=4), 16->24 stride 2
    /// (t=4), 24->24 (t=4); a 1x1 conv to 64 + Relu6; global average pool and a Gemm to 10 classes.
    /// </summary>
    public static byte[] MobileNetV2(int seed)
    {
        var b = new OnnxBuilder(opset: 17).Input("input", DataType.Float, null, 3, 16, 16);
        var c = new CnnBuilder(b, seed);
        string x = c.Relu6(c.Conv("input", 3, 16, 3));
        x = InvertedResidual(c, x, 16, 16, 1, 4);
        x = InvertedResidual(c, x, 16, 24, 2, 4);
        x = InvertedResidual(c, x, 24, 24, 1, 4);
        x = c.Relu6(c.Conv(x, 24, 64, 1));
        c.Head(x, 64, 10, "logits");
        return b.Output("logits", DataType.Float).ToBytes();
    }

    private static string BasicBlock(CnnBuilder c, string x, int inChannels, int outChannels, int stride)
    {
        string y = c.Relu(c.Conv(x, inChannels, outChannels, 3, stride));
        y = c.Conv(y, outChannels, outChannels, 3);
        string shortcut = stride == 1 && inChannels == outChannels ? x : c.Conv(x, inChannels, outChannels, 1, stride, name: "proj");
        return c.Relu(c.Add(y, shortcut));
    }

    private static string InvertedResidual(CnnBuilder c, string x, int inChannels, int outChannels, int stride, int expand)
    {
        int hidden = inChannels * expand;
        string y = c.Relu6(c.Conv(x, inChannels, hidden, 1, name: "expand"));
        y = c.Relu6(c.Conv(y, hidden, hidden, 3, stride, group: hidden, name: "dw"));
        y = c.Conv(y, hidden, outChannels, 1, name: "project");
        return stride == 1 && inChannels == outChannels ? c.Add(y, x) : y;
    }
}
