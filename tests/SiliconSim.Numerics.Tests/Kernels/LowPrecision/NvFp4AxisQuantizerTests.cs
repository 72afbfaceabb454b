using SiliconSim.Numerics.Formats;
using SiliconSim.Numerics.Formats.Blocks;
using SiliconSim.Numerics.Kernels.LowPrecision;

namespace SiliconSim.Numerics.Tests.Kernels.LowPrecision;

public sealed class NvFp4AxisQuantizerTests
{
    [Theory]
    [InlineData(new[] { 2, 40, 3, 2 }, 1)]   // NCHW, blocked along 40 channels: two full blocks and a partial one per pixel
    [InlineData(new[] { 3, 5, 16 }, -1)]     // rows of 16: one block per row
    [InlineData(new[] { 4, 7 }, 1)]          // rows of 7: one partial block per row
    [InlineData(new[] { 17, 3 }, 0)]         // blocked along the outer axis
    public void Quantize_ConvertsEveryLineAlongTheAxisOnItsOwn(int[] shape, int axis)
    {
        var rng = new Random(shape.Sum() + axis);
        int n = shape.Aggregate(1, (a, b) => a * b);
        float[] x = [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-6, 6))))];
        const float TensorScale = 0.0123f;
        NvFp4Tensor q = NvFp4AxisQuantizer.Quantize(x, shape, axis, TensorScale);

        int a = axis < 0 ? axis + shape.Length : axis;
        int extent = shape[a], inner = shape.Skip(a + 1).Aggregate(1, (p, d) => p * d), outer = n / (extent * inner);
        int blocks = (extent + 15) / 16;
        int[] scaleShape = [.. shape];
        scaleShape[a] = blocks;
        Assert.Equal(scaleShape, q.ScaleShape);
        Assert.Equal(outer * blocks * inner, q.BlockScales.Length);
        Assert.Equal(TensorScale, q.TensorScale);
        byte[] elementScales = q.ElementBlockScaleCodes();
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                // The line as the codec sees it, gathered here by index arithmetic of its own.
                int[] at = [.. Enumerable.Range(0, extent).Select(k => (((o * extent) + k) * inner) + i)];
                float[] line = [.. at.Select(j => x[j])];
                byte[] codes = new byte[extent];
                byte[] scales = new byte[blocks];
                NvFp4Codec.Quantize(line, TensorScale, codes, scales);
                for (int k = 0; k < extent; k++)
                {
                    Assert.Equal(codes[k], q.Codes[at[k]]);
                    Assert.Equal(Fp8E4M3Fn.Decode(scales[k / 16]), q.BlockScaleOf(at[k]));
                    Assert.Equal(scales[k / 16], elementScales[at[k]]);
                }

                for (int b = 0; b < blocks; b++)
                {
                    Assert.Equal(scales[b], q.BlockScales[(((o * blocks) + b) * inner) + i]);
                }
            }
        }
    }

    [Fact]
    public void Quantize_RejectsAShapeThatDoesNotHoldTheValues()
    {
        Assert.Throws<ArgumentException>(() => NvFp4AxisQuantizer.Quantize(new float[5], [2, 3], 1, 1f));
        Assert.Throws<ArgumentException>(() => NvFp4AxisQuantizer.Quantize(new float[6], [2, 3], 2, 1f));
    }
}
