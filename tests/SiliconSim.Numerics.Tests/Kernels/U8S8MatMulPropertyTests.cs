using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Numerics.Reference;

namespace SiliconSim.Numerics.Tests.Kernels;

/// <summary>
/// The VNNI matmul (<see cref="U8S8MatMul"/>) and the column requantizer of QLinearMatMul give the bits of their scalar
/// references for every code-type pair, broadcast batches, ragged M, K and N, and any thread count.
/// </summary>
[Properties(MaxTest = 100)]
public sealed class U8S8MatMulPropertyTests
{
    [Property]
    public void Accumulate_EqualsScalarReference(NonNegativeInt shapeKind, NonNegativeInt types, PositiveInt threads, int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 21), k = rng.Next(1, 70), n = rng.Next(1, 41);
        (int[] aShape, int[] bShape) = (shapeKind.Get % 4) switch
        {
            0 => (new[] { m, k }, new[] { k, n }),
            1 => ([2, 1, m, k], [3, k, n]),
            2 => ([3, m, k], [k, n]),
            _ => ([1, m, k], [2, k, n]),
        };
        int t = (threads.Get % 3) + 1;
        switch (types.Get % 4)
        {
            case 0: Check<byte, sbyte>(rng, aShape, bShape, t); break;
            case 1: Check<byte, byte>(rng, aShape, bShape, t); break;
            case 2: Check<sbyte, sbyte>(rng, aShape, bShape, t); break;
            default: Check<sbyte, byte>(rng, aShape, bShape, t); break;
        }
    }

    [Property]
    public void RequantizeColumns_EqualsScalarRequantizer(PositiveInt rows, PositiveInt columns, bool signed, int seed)
    {
        var rng = new Random(seed);
        int r = (rows.Get % 5) + 1, n = (columns.Get % 40) + 1;
        int[] acc = [.. Enumerable.Range(0, r * n).Select(_ => rng.Next(4) == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-40000, 40000))];
        float[] scales = [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 0.01))];
        int zp = signed ? rng.Next(-128, 128) : rng.Next(256);
        if (signed)
        {
            var y = new sbyte[acc.Length];
            QLinearMatMul.RequantizeColumns<sbyte>(acc, scales, zp, y);
            Assert.Equal(acc.Select((v, p) => Requantizer.Requantize<sbyte>(v, scales[p % n], zp)), y);
        }
        else
        {
            var y = new byte[acc.Length];
            QLinearMatMul.RequantizeColumns<byte>(acc, scales, zp, y);
            Assert.Equal(acc.Select((v, p) => Requantizer.Requantize<byte>(v, scales[p % n], zp)), y);
        }
    }

    private static void Check<TA, TB>(Random rng, int[] aShape, int[] bShape, int threads)
        where TA : unmanaged, IBinaryInteger<TA>, IMinMaxValue<TA>
        where TB : unmanaged, IBinaryInteger<TB>, IMinMaxValue<TB>
    {
        TA[] a = IntKernelGenerators.Codes<TA>(rng, (int)ShapeMath.ElementCount(aShape));
        TB[] b = IntKernelGenerators.Codes<TB>(rng, (int)ShapeMath.ElementCount(bShape));
        var shape = MatMulShape.Resolve(aShape, bShape);
        int az = ZeroPoint<TA>(rng);
        int[] bz = rng.Next(2) == 0 ? [ZeroPoint<TB>(rng)] : [.. Enumerable.Range(0, shape.N).Select(_ => ZeroPoint<TB>(rng))];
        int bBatches = shape.BBatchShape.Aggregate(1, (p, d) => p * d);
        PackedMatMulB packed = U8S8MatMul.PackB<TB>(b, bBatches, shape.K, shape.N);
        var y = new int[shape.BatchCount * shape.M * shape.N];
        U8S8MatMul.Accumulate<TA>(a, az, packed, bz, shape, y, new Parallelism(threads), minMacsPerThread: 1);
        int[] expected = MatMulIntegerReference.Compute<TA, TB>(a, aShape, [az], b, bShape, bz, out _);
        Assert.Equal(expected, y);
    }

    private static int ZeroPoint<T>(Random rng)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        rng.Next(Requantizer.QMin<T>(), Requantizer.QMax<T>() + 1);
}
