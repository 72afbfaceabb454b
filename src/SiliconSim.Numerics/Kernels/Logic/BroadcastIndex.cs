using SiliconSim.Numerics.Kernels.Float;

namespace SiliconSim.Numerics.Kernels.Logic;

/// <summary>Numpy (multidirectional) broadcasting as index maps: for each output element, the source element it reads.</summary>
public static class BroadcastIndex
{
    /// <summary>The broadcast of every shape in <paramref name="shapes"/> (ONNX "Broadcasting in ONNX", numpy rules).</summary>
    /// <exception cref="ArgumentException">two shapes do not broadcast.</exception>
    public static int[] Shape(params IReadOnlyList<int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        int[] result = [];
        foreach (int[] s in shapes)
        {
            result = ShapeMath.Broadcast(result, s);
        }

        return result;
    }

    /// <summary>map[i] = the flat index in a tensor of <paramref name="srcShape"/> that output element i of <paramref name="dstShape"/> reads.</summary>
    public static int[] Map(int[] srcShape, int[] dstShape)
    {
        int[] strides = Broadcast.BroadcastStrides(srcShape, dstShape);
        var map = new int[ShapeMath.ElementCount(dstShape)];
        int rank = dstShape.Length;
        var idx = new int[rank];
        int offset = 0;
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = offset;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                offset += strides[d];
                if (idx[d] < dstShape[d])
                {
                    break;
                }

                offset -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }

        return map;
    }

    /// <summary>y[i] = f(a[map_a[i]], b[map_b[i]]) over the broadcast shape of the two operands.</summary>
    public static TR[] Zip<TA, TB, TR>(TA[] a, int[] aShape, TB[] b, int[] bShape, out int[] shape, Func<TA, TB, TR> f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(f);
        shape = ShapeMath.Broadcast(aShape, bShape);
        int[] ma = Map(aShape, shape);
        int[] mb = Map(bShape, shape);
        var y = new TR[ma.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = f(a[ma[i]], b[mb[i]]);
        }

        return y;
    }
}
