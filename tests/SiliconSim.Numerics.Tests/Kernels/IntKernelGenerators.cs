using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>A small generated integer convolution: geometry plus seeded contents.</summary>
public sealed record ConvCase(ConvGeometry Geometry, int Seed, bool PerChannel, bool Narrow)
{
    public override string ToString() =>
        $"N{Geometry.Batch} C{Geometry.InChannels} M{Geometry.OutChannels} g{Geometry.Group} in[{string.Join(',', Geometry.InSpatial)}] k[{string.Join(',', Geometry.KernelSpatial)}] s[{string.Join(',', Geometry.Strides)}] d[{string.Join(',', Geometry.Dilations)}] p[{string.Join(',', Geometry.PadsBegin)}|{string.Join(',', Geometry.PadsEnd)}] seed {Seed}";
}

/// <summary>Generators for the integer-kernel properties (small shapes: CI has two cores).</summary>
public static class IntKernelGenerators
{
    public static Arbitrary<ConvCase> ConvCases() => Arb.From(
        from rank in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, 2)
        from grp in Gen.Choose(1, 3)
        from cg in Gen.Choose(1, 3)
        from mg in Gen.Choose(1, 3)
        from dims in Gen.ArrayOf(Gen.Choose(1, 6), rank)
        from kernel in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from strides in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from dilations in Gen.ArrayOf(Gen.Choose(1, 2), rank)
        from pads in Gen.ArrayOf(Gen.Choose(0, 2), 2 * rank)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from perChannel in Gen.Elements(true, false)
        from narrow in Gen.Elements(true, false)
        let inShape = new[] { batch, grp * cg }.Concat(dims.Select((d, i) => Math.Max(d, ((kernel[i] - 1) * dilations[i]) + 1))).ToArray()
        select new ConvCase(
            ConvGeometry.Resolve(inShape, grp * mg, kernel, [.. strides.Select(v => (long)v)], [.. dilations.Select(v => (long)v)], [.. pads.Select(v => (long)v)], "NOTSET", grp),
            seed,
            perChannel,
            narrow));

    /// <summary>Random codes of T from a seeded source.</summary>
    public static T[] Codes<T>(Random rng, int count, int center = 0, int spread = -1)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IMinMaxValue<T>
    {
        int lo = int.CreateTruncating(T.MinValue), hi = int.CreateTruncating(T.MaxValue);
        var a = new T[count];
        for (int i = 0; i < count; i++)
        {
            int v = spread < 0 ? rng.Next(lo, hi + 1) : Math.Clamp(center + rng.Next(-spread, spread + 1), lo, hi);
            a[i] = T.CreateTruncating(v);
        }

        return a;
    }
}
