using FsCheck;
using FsCheck.Fluent;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>A generated conv for the route properties.</summary>
public sealed record RouteCase(ConvGeometry Geometry, int Seed, bool PerChannel)
{
    public override string ToString() =>
        $"N{Geometry.Batch} C{Geometry.InChannels} M{Geometry.OutChannels} g{Geometry.Group} in[{string.Join(',', Geometry.InSpatial)}] k[{string.Join(',', Geometry.KernelSpatial)}] s[{string.Join(',', Geometry.Strides)}] d[{string.Join(',', Geometry.Dilations)}] p[{string.Join(',', Geometry.PadsBegin)}|{string.Join(',', Geometry.PadsEnd)}] seed {Seed}";
}

/// <summary>
/// 2-D convs that stress the routes: depthwise (one channel per group, strides 1 or 2 as the direct route takes
/// them) a third of the time, widths up to 21 (im2col rows past 16 pixels), batches up to 40 (several image chunks
/// when images are large), K from 1 up. <see cref="WideCases"/> has enough output channels (and depthwise channels)
/// for the kernels to split them over 2 and 4 threads, and rows up to 40 wide (several 16-pixel im2col steps at stride 2).
/// </summary>
public static class IntConvRouteGenerators
{
    public static Arbitrary<RouteCase> RouteCases() => Arb.From(
        from kind in Gen.Choose(0, 2)
        from batch in Gen.Elements(1, 2, 5, 40)
        from grp in Gen.Choose(1, 4)
        from cg in Gen.Choose(1, 5)
        from mg in Gen.Choose(1, 6)
        from h in Gen.Choose(1, 9)
        from wd in Gen.Choose(1, 21)
        from kh in Gen.Choose(1, 3)
        from kw in Gen.Choose(1, 3)
        from sh in Gen.Choose(1, 2)
        from sw in Gen.Choose(1, 2)
        from dh in Gen.Choose(1, 2)
        from pads in Gen.ArrayOf(Gen.Choose(0, 2), 4)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from perChannel in Gen.Elements(true, false)
        let depthwise = kind == 0
        let groups = depthwise ? grp + 1 : grp
        let channels = depthwise ? 1 : cg
        let strides = new long[] { sh, sw }
        let inShape = new[] { batch, groups * channels, Math.Max(h, ((kh - 1) * dh) + 1), Math.Max(wd, kw) }
        select new RouteCase(
            ConvGeometry.Resolve(inShape, groups * mg, [kh, kw], strides, [dh, 1], [.. pads.Select(v => (long)v)], "NOTSET", groups),
            seed,
            perChannel));

    public static Arbitrary<WideRouteCase> WideCases() => Arb.From(
        from depthwise in Gen.Elements(true, false)
        from grp in Gen.Choose(1, 2)
        from cg in Gen.Choose(1, 9)
        from m in Gen.Choose(16, 70)
        from dwChannels in Gen.Choose(16, 50)
        from h in Gen.Choose(1, 6)
        from wd in Gen.Choose(1, 40)
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 3)
        from pads in Gen.ArrayOf(Gen.Choose(0, 2), 4)
        from batch in Gen.Elements(1, 3)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from perChannel in Gen.Elements(true, false)
        let groups = depthwise ? dwChannels : grp
        let channels = depthwise ? dwChannels : grp * cg
        let outChannels = depthwise ? dwChannels : grp * m
        let inShape = new[] { batch, channels, Math.Max(h, k), Math.Max(wd, k) }
        select new WideRouteCase(
            ConvGeometry.Resolve(inShape, outChannels, [k, k], [stride, stride], null, [.. pads.Select(v => (long)v)], "NOTSET", groups),
            seed,
            perChannel));
}

/// <summary>A generated conv wide enough to be split over threads.</summary>
public sealed record WideRouteCase(ConvGeometry Geometry, int Seed, bool PerChannel)
{
    public override string ToString() => new RouteCase(Geometry, Seed, PerChannel).ToString();
}
