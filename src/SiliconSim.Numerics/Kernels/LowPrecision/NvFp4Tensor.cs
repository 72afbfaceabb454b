using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;

namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>
/// An NVFP4 tensor: one E2M1 code per element (in the source layout), one E4M3 block-scale code per block (laid out as
/// the source with the blocked axis shrunk to the block count, ONNX's blocked-scale layout), and the fp32 tensor scale.
/// </summary>
public sealed record NvFp4Tensor(byte[] Codes, byte[] BlockScales, int[] ScaleShape, int Axis, int Extent, int Inner, float TensorScale)
{
    /// <summary>The decoded E4M3 block scale of the element at flat index <paramref name="index"/>.</summary>
    public float BlockScaleOf(int index)
    {
        int i = index % Inner, rest = index / Inner;
        int k = rest % Extent, o = rest / Extent;
        int blocks = NvFp4Codec.ScaleCount(Extent);
        return Fp8E4M3Fn.Decode(BlockScales[(((o * blocks) + (k / NvFp4Codec.BlockSize)) * Inner) + i]);
    }

    /// <summary>For every element (flat index, as <see cref="Codes"/>), the E4M3 code of its block scale: one pass in
    /// layout order, for readers that gather elements in another order.</summary>
    public byte[] ElementBlockScaleCodes()
    {
        byte[] result = new byte[Codes.Length];
        int blocks = NvFp4Codec.ScaleCount(Extent);
        int outer = Extent == 0 || Inner == 0 ? 0 : Codes.Length / (Extent * Inner);
        for (int o = 0, at = 0; o < outer; o++)
        {
            for (int k = 0; k < Extent; k++, at += Inner)
            {
                BlockScales.AsSpan((((o * blocks) + (k / NvFp4Codec.BlockSize)) * Inner), Inner).CopyTo(result.AsSpan(at, Inner));
            }
        }

        return result;
    }
}
