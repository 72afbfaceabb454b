using FsCheck;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

[Properties(Arbitrary = [typeof(IntKernelGenerators)], MaxTest = 120)]
public sealed class QLinearConvPropertyTests
{
    [Property]
    public void ConvInteger_EqualsScalarReference(ConvCase c)
    {
        var g = c.Geometry;
        var rng = new Random(c.Seed);
        byte[] x = IntKernelGenerators.Codes<byte>(rng, g.Batch * g.InChannels * g.InSize);
        sbyte[] w = IntKernelGenerators.Codes<sbyte>(rng, g.OutChannels * (g.InChannels / g.Group) * g.KernelSize);
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-128, 128))] : [rng.Next(-128, 128)];
        int xz = rng.Next(0, 256);
        var y = new int[g.Batch * g.OutChannels * g.OutSize];
        ConvInteger.Compute<byte, sbyte>(x, xz, w, wz, g, y);
        Assert.Equal(ConvIntegerReference.Compute<byte, sbyte>(x, xz, w, wz, g), y);
    }

    [Property]
    public void QLinearConv_EqualsScalarReference(ConvCase c)
    {
        var g = c.Geometry;
        var rng = new Random(c.Seed);
        int xz = rng.Next(-128, 128);
        sbyte[] x = c.Narrow ? IntKernelGenerators.Codes<sbyte>(rng, g.Batch * g.InChannels * g.InSize, xz, 3) : IntKernelGenerators.Codes<sbyte>(rng, g.Batch * g.InChannels * g.InSize);
        byte[] w = IntKernelGenerators.Codes<byte>(rng, g.OutChannels * (g.InChannels / g.Group) * g.KernelSize);
        int m = g.OutChannels;
        int[] wz = c.PerChannel ? [.. Enumerable.Range(0, m).Select(_ => rng.Next(0, 256))] : [rng.Next(0, 256)];
        float[] ws = c.PerChannel ? [.. Enumerable.Range(0, m).Select(_ => MathF.Pow(2, -rng.Next(0, 8)))] : [(float)rng.NextDouble()];
        int[] bias = rng.Next(2) == 0 ? [] : [.. Enumerable.Range(0, m).Select(_ => rng.Next(-3000, 3000))];
        var y = new byte[g.Batch * m * g.OutSize];
        QLinearConv.Compute<sbyte, byte, byte>(x, 0.5f, xz, w, ws, wz, 4f, 100, bias, g, y);
        Assert.Equal(QLinearConvReference.Compute<sbyte, byte, byte>(x, 0.5f, xz, w, ws, wz, 4f, 100, bias, g), y);
    }
}
