using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>Geometries at the packing edges: K exactly a multiple of the GEMM alignment, 4-wide kernel rows.</summary>
public sealed class ConvIntegerEdgeTests
{
    [Theory]
    [InlineData(32, 1, 1, 5, 1)] // K = 32 = KStride: the 8-byte im2col moves spill into the next position's row
    [InlineData(8, 2, 2, 6, 1)] // K = 32 with 2-wide rows
    [InlineData(2, 4, 4, 7, 1)] // 4-wide rows, K = 32
    [InlineData(3, 3, 4, 9, 2)] // 4-wide rows, stride 2
    [InlineData(1, 1, 5, 9, 1)] // 5-wide rows take the general im2col
    [InlineData(33, 1, 1, 3, 1)] // K = 33: one past the alignment
    public void ConvInteger_AlignmentEdges_EqualsScalarReference(int channels, int kh, int kw, int size, int stride)
    {
        var g = ConvGeometry.Resolve([2, channels, size, size], 5, [kh, kw], [stride, stride], null, [1, 1, 1, 1], "NOTSET", 1);
        var rng = new Random((channels * 100) + (kh * 10) + kw);
        byte[] x = IntKernelGenerators.Codes<byte>(rng, 2 * channels * size * size);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, 5 * channels * kh * kw);
        var y = new int[2 * 5 * g.OutSize];
        ConvInteger.Compute<byte, sbyte>(x, 17, w, [-3], g, y);
        Assert.Equal(ConvIntegerReference.Compute<byte, sbyte>(x, 17, w, [-3], g), y);
    }
}
