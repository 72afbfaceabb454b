using System.Numerics;
using System.Runtime.CompilerServices;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Graph.Execution.Ops;

/// <summary>
/// Quantized convolution and matrix-product operators (ONNX QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger;
/// com.microsoft QGemm), computed as ORT's x86-64 CPU provider does (ort-cpu-semantics.md §2). Under non-reference
/// <see cref="OpContext.MatrixNumerics"/> they run on <see cref="ArrayMatrix"/> and <see cref="ArrayRequantizer"/>
/// instead: the accelerator array's accumulator width, overflow policy and requantizer.
/// </summary>
internal static class QLinearOps
{
    // Packed weights per constant weight tensor; an entry lives as long as its tensor (the model's initializer).
    private static readonly ConditionalWeakTable<TensorValue, PackedConvWeights> s_packedConvs = new();
    private static readonly ConditionalWeakTable<TensorValue, PackedGemmB> s_packedGemmBs = new();
    private static readonly ConditionalWeakTable<TensorValue, PackedMatMulB> s_packedMatMulBs = new();

    [OnnxOp("QLinearConv")]
    public static TensorValue[] QLinearConv(OpContext ctx)
    {
        TensorValue x = ctx.Input(0), w = ctx.Input(3);
        TensorValue? xZp = ctx.OptionalInput(2), wZp = ctx.OptionalInput(5), yZp = ctx.OptionalInput(7), bias = ctx.OptionalInput(8);
        QuantOpArgs.Require8Bit(x, "x");
        QuantOpArgs.Require8Bit(w, "w");
        QuantOpArgs.RequireSameType(xZp, x.Type, "x_zero_point");
        QuantOpArgs.RequireSameType(wZp, w.Type, "w_zero_point");
        DataType yType = yZp?.Type ?? x.Type;
        if (yType is not (DataType.UInt8 or DataType.Int8))
        {
            throw new OpException($"y_zero_point must be uint8 or int8, got {DataTypeInfo.Name(yType)}");
        }

        if (bias is not null && bias.Type != DataType.Int32)
        {
            throw new OpException($"bias must be int32, got {DataTypeInfo.Name(bias.Type)}");
        }

        var args = new ConvArgs(
            Geometry(ctx, x, w),
            QuantOpArgs.Scale(ctx.Input(1), "x_scale"),
            QuantOpArgs.ZeroPoint(xZp, "x_zero_point"),
            QuantOpArgs.Scales(ctx.Input(4), "w_scale"),
            QuantOpArgs.ZeroPoints(wZp, "w_zero_point"),
            QuantOpArgs.Scale(ctx.Input(6), "y_scale"),
            QuantOpArgs.ZeroPoint(yZp, "y_zero_point"),
            bias?.Items<int>() ?? []);
        Array output = (x.Type, w.Type, yType) switch
        {
            (DataType.UInt8, DataType.Int8, DataType.UInt8) => Conv<byte, sbyte, byte>(ctx, x, w, args),
            (DataType.UInt8, DataType.UInt8, DataType.UInt8) => Conv<byte, byte, byte>(ctx, x, w, args),
            (DataType.UInt8, DataType.Int8, DataType.Int8) => Conv<byte, sbyte, sbyte>(ctx, x, w, args),
            (DataType.UInt8, DataType.UInt8, DataType.Int8) => Conv<byte, byte, sbyte>(ctx, x, w, args),
            (DataType.Int8, DataType.Int8, DataType.Int8) => Conv<sbyte, sbyte, sbyte>(ctx, x, w, args),
            (DataType.Int8, DataType.UInt8, DataType.Int8) => Conv<sbyte, byte, sbyte>(ctx, x, w, args),
            (DataType.Int8, DataType.Int8, DataType.UInt8) => Conv<sbyte, sbyte, byte>(ctx, x, w, args),
            _ => Conv<sbyte, byte, byte>(ctx, x, w, args),
        };
        return [TensorValue.Create(yType, args.Geometry.OutputShape, output)];
    }

    [OnnxOp("ConvInteger")]
    public static TensorValue[] ConvInteger(OpContext ctx)
    {
        TensorValue x = ctx.Input(0), w = ctx.Input(1);
        TensorValue? xZp = ctx.OptionalInput(2), wZp = ctx.OptionalInput(3);
        QuantOpArgs.Require8Bit(x, "x");
        QuantOpArgs.Require8Bit(w, "w");
        QuantOpArgs.RequireSameType(xZp, x.Type, "x_zero_point");
        QuantOpArgs.RequireSameType(wZp, w.Type, "w_zero_point");
        ConvGeometry g = Geometry(ctx, x, w);
        int xz = QuantOpArgs.ZeroPoint(xZp, "x_zero_point");
        int[] wz = QuantOpArgs.ZeroPoints(wZp, "w_zero_point");
        var y = new int[checked((int)ShapeMath.ElementCount(g.OutputShape))];
        MatrixNumerics numerics = ctx.MatrixNumerics;
        if (!numerics.IsReference)
        {
            QuantOpArgs.Kernel(() =>
            {
                switch (x.Type, w.Type)
                {
                    case (DataType.UInt8, DataType.UInt8): ArrayMatrix.Conv<byte, byte>(x.Items<byte>(), xz, w.Items<byte>(), wz, [], g, numerics, y); break;
                    case (DataType.UInt8, _): ArrayMatrix.Conv<byte, sbyte>(x.Items<byte>(), xz, w.Items<sbyte>(), wz, [], g, numerics, y); break;
                    case (_, DataType.UInt8): ArrayMatrix.Conv<sbyte, byte>(x.Items<sbyte>(), xz, w.Items<byte>(), wz, [], g, numerics, y); break;
                    default: ArrayMatrix.Conv<sbyte, sbyte>(x.Items<sbyte>(), xz, w.Items<sbyte>(), wz, [], g, numerics, y); break;
                }

                return 0;
            });
            return [TensorValue.Create(DataType.Int32, g.OutputShape, y)];
        }

        QuantOpArgs.Kernel(() =>
        {
            switch (x.Type, w.Type)
            {
                case (DataType.UInt8, DataType.UInt8): Numerics.Kernels.ConvInteger.Compute<byte, byte>(x.Items<byte>(), xz, w.Items<byte>(), wz, g, y); break;
                case (DataType.UInt8, _): Numerics.Kernels.ConvInteger.Compute<byte, sbyte>(x.Items<byte>(), xz, w.Items<sbyte>(), wz, g, y); break;
                case (_, DataType.UInt8): Numerics.Kernels.ConvInteger.Compute<sbyte, byte>(x.Items<sbyte>(), xz, w.Items<byte>(), wz, g, y); break;
                default: Numerics.Kernels.ConvInteger.Compute<sbyte, sbyte>(x.Items<sbyte>(), xz, w.Items<sbyte>(), wz, g, y); break;
            }

            return 0;
        });
        return [TensorValue.Create(DataType.Int32, g.OutputShape, y)];
    }

    [OnnxOp("MatMulInteger")]
    public static TensorValue[] MatMulInteger(OpContext ctx)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(1);
        TensorValue? aZp = ctx.OptionalInput(2), bZp = ctx.OptionalInput(3);
        QuantOpArgs.Require8Bit(a, "A");
        QuantOpArgs.Require8Bit(b, "B");
        QuantOpArgs.RequireSameType(aZp, a.Type, "a_zero_point");
        QuantOpArgs.RequireSameType(bZp, b.Type, "b_zero_point");
        MatMulShape shape = QuantOpArgs.Kernel(() => MatMulShape.Resolve([.. a.Shape], [.. b.Shape]));
        int[] az = QuantOpArgs.ZeroPoints(aZp, "a_zero_point");
        int[] bz = QuantOpArgs.ZeroPoints(bZp, "b_zero_point");
        int[] y = MatMulAcc(ctx, 1, a, az, b, bz, shape);
        return [TensorValue.Create(DataType.Int32, shape.OutputShape, y)];
    }

    [OnnxOp("QLinearMatMul")]
    public static TensorValue[] QLinearMatMul(OpContext ctx)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(3);
        TensorValue? aZp = ctx.OptionalInput(2), bZp = ctx.OptionalInput(5), yZp = ctx.OptionalInput(7);
        QuantOpArgs.Require8Bit(a, "a");
        QuantOpArgs.Require8Bit(b, "b");
        QuantOpArgs.RequireSameType(aZp, a.Type, "a_zero_point");
        QuantOpArgs.RequireSameType(bZp, b.Type, "b_zero_point");
        DataType yType = yZp?.Type ?? a.Type;
        MatMulShape shape = QuantOpArgs.Kernel(() => MatMulShape.Resolve([.. a.Shape], [.. b.Shape]));
        int[] az = QuantOpArgs.ZeroPoints(aZp, "a_zero_point");
        int[] bz = QuantOpArgs.ZeroPoints(bZp, "b_zero_point");
        float[] aScales = QuantOpArgs.Scales(ctx.Input(1), "a_scale");
        float[] bScales = QuantOpArgs.Scales(ctx.Input(4), "b_scale");
        float yScale = QuantOpArgs.Scale(ctx.Input(6), "y_scale");
        int yz = QuantOpArgs.ZeroPoint(yZp, "y_zero_point");
        int[] acc = MatMulAcc(ctx, 3, a, az, b, bz, shape);
        if ((aScales.Length != 1 && aScales.Length != shape.M) || (bScales.Length != 1 && bScales.Length != shape.N))
        {
            throw new OpException($"a_scale must have 1 or {shape.M} values and b_scale 1 or {shape.N}");
        }

        if (ctx.MatrixNumerics.IsReference && aScales.Length == 1 && shape.N > 0)
        {
            // One A scale: the output scale depends on the column only.
            var columnScales = new float[shape.N];
            for (int j = 0; j < shape.N; j++)
            {
                // (a_scale · b_scale) / y_scale, fp32 left to right (quantize_linear_matmul.cc).
                columnScales[j] = aScales[0] * bScales[bScales.Length == 1 ? 0 : j] / yScale;
            }

            Array yc = yType switch
            {
                DataType.UInt8 => RequantizeColumns<byte>(acc, columnScales, yz),
                DataType.Int8 => RequantizeColumns<sbyte>(acc, columnScales, yz),
                _ => throw new OpException($"y_zero_point must be uint8 or int8, got {DataTypeInfo.Name(yType)}"),
            };
            // The accumulators were scratch: the next product may take their array.
            TensorArena.Recycle(acc);
            return [TensorValue.Create(yType, shape.OutputShape, yc)];
        }

        var scales = new float[shape.M * shape.N];
        for (int i = 0; i < shape.M; i++)
        {
            for (int j = 0; j < shape.N; j++)
            {
                // (a_scale · b_scale) / y_scale, fp32 left to right (quantize_linear_matmul.cc).
                float s = aScales[aScales.Length == 1 ? 0 : i] * bScales[bScales.Length == 1 ? 0 : j];
                scales[(i * shape.N) + j] = s / yScale;
            }
        }

        ArrayRequantizer? array = null;
        if (!ctx.MatrixNumerics.IsReference)
        {
            var reals = new double[shape.M * shape.N];
            for (int i = 0; i < shape.M; i++)
            {
                for (int j = 0; j < shape.N; j++)
                {
                    reals[(i * shape.N) + j] = (double)aScales[aScales.Length == 1 ? 0 : i] * bScales[bScales.Length == 1 ? 0 : j] / yScale;
                }
            }

            array = QuantOpArgs.Kernel(() => new ArrayRequantizer(scales, reals, ctx.MatrixNumerics));
        }

        Array y = yType switch
        {
            DataType.UInt8 => array is null ? RequantizeTiled<byte>(acc, scales, yz) : ArrayRequantize<byte>(array, acc, 1, yz),
            DataType.Int8 => array is null ? RequantizeTiled<sbyte>(acc, scales, yz) : ArrayRequantize<sbyte>(array, acc, 1, yz),
            _ => throw new OpException($"y_zero_point must be uint8 or int8, got {DataTypeInfo.Name(yType)}"),
        };
        return [TensorValue.Create(yType, shape.OutputShape, y)];
    }

    [OnnxOp("MatMulIntegerToFloat", "com.microsoft")]
    public static TensorValue[] MatMulIntegerToFloat(OpContext ctx)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(1);
        TensorValue? aZp = ctx.OptionalInput(4), bZp = ctx.OptionalInput(5), bias = ctx.OptionalInput(6);
        QuantOpArgs.Require8Bit(a, "A");
        QuantOpArgs.Require8Bit(b, "B");
        if (a.Type == DataType.Int8 && b.Type == DataType.UInt8)
        {
            // ORT 1.31's CPU provider registers u8·u8, u8·s8 and s8·s8 only; it refuses such a model at load.
            throw new OpException("MatMulIntegerToFloat has no int8 A × uint8 B kernel in ONNX Runtime's CPU provider");
        }

        QuantOpArgs.RequireSameType(aZp, a.Type, "a_zero_point");
        QuantOpArgs.RequireSameType(bZp, b.Type, "b_zero_point");
        MatMulShape shape = QuantOpArgs.Kernel(() => MatMulShape.Resolve([.. a.Shape], [.. b.Shape]));
        float aScale = QuantOpArgs.Scale(ctx.Input(2), "a_scale");
        float[] bScales = QuantOpArgs.Scales(ctx.Input(3), "b_scale");
        int[] az = [QuantOpArgs.ZeroPoint(aZp, "a_zero_point")];
        int[] bz = QuantOpArgs.ZeroPoints(bZp, "b_zero_point");
        if (bScales.Length != 1 && bScales.Length != shape.N)
        {
            throw new OpException($"b_scale must have 1 or {shape.N} values");
        }

        float[] biasData = bias is null ? [] : bias.Type == DataType.Float ? bias.Items<float>() : throw new OpException("bias must be float");
        if (biasData.Length != 0 && biasData.Length != shape.N)
        {
            throw new OpException($"bias must have {shape.N} values");
        }

        int[] acc = MatMulAcc(ctx, 1, a, az, b, bz, shape);
        var y = new float[acc.Length];
        for (int p = 0; p < acc.Length; p++)
        {
            int j = p % shape.N;
            // multiplier = a_scale · b_scale[j] (matmul_integer_to_float.cc), then MLAS's scale-bias output step.
            float multiplier = aScale * bScales[bScales.Length == 1 ? 0 : j];
            float v = acc[p] * multiplier;
            y[p] = biasData.Length == 0 ? v : v + biasData[j];
        }

        return [TensorValue.Create(DataType.Float, shape.OutputShape, y)];
    }

    [OnnxOp("QGemm", "com.microsoft")]
    public static TensorValue[] QGemm(OpContext ctx)
    {
        TensorValue a = ctx.Input(0), b = ctx.Input(3);
        TensorValue? aZp = ctx.OptionalInput(2), bZp = ctx.OptionalInput(5), c = ctx.OptionalInput(6), yScaleT = ctx.OptionalInput(7), yZp = ctx.OptionalInput(8);
        QuantOpArgs.Require8Bit(a, "A");
        QuantOpArgs.Require8Bit(b, "B");
        QuantOpArgs.RequireSameType(aZp, a.Type, "a_zero_point");
        QuantOpArgs.RequireSameType(bZp, b.Type, "b_zero_point");
        if (a.Rank != 2 || b.Rank != 2)
        {
            throw new OpException($"QGemm needs 2-D A and B, got {a.ShapeText} and {b.ShapeText}");
        }

        bool transA = ctx.Int("transA", 0) != 0, transB = ctx.Int("transB", 0) != 0;
        float alpha = ctx.Float("alpha", 1f);
        int m = transA ? a.Shape[1] : a.Shape[0];
        int k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0];
        int n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
        {
            throw new OpException($"QGemm inner dims differ: A' is [{m},{k}], B' is [{kb},{n}]");
        }

        (int cRows, int cCols) = (1, 1);
        int[] cData = [];
        if (c is not null)
        {
            if (c.Type != DataType.Int32)
            {
                throw new OpException($"C must be int32, got {DataTypeInfo.Name(c.Type)}");
            }

            (cRows, cCols) = c.Rank switch
            {
                0 => (1, 1),
                1 => (1, c.Shape[0]),
                2 => (c.Shape[0], c.Shape[1]),
                _ => throw new OpException($"C must have rank 0 to 2, got {c.ShapeText}"),
            };
            cData = c.Items<int>();
        }

        int az = QuantOpArgs.ZeroPoint(aZp, "a_zero_point");
        int[] bz = QuantOpArgs.ZeroPoints(bZp, "b_zero_point");
        float aScale = QuantOpArgs.Scale(ctx.Input(1), "a_scale");
        float[] bScales = QuantOpArgs.Scales(ctx.Input(4), "b_scale");
        float? yScale = yScaleT is null ? null : QuantOpArgs.Scale(yScaleT, "y_scale");
        MatrixNumerics numerics = ctx.MatrixNumerics;
        int[] acc = !numerics.IsReference ? QuantOpArgs.Kernel(() => (a.Type, b.Type) switch
        {
            (DataType.UInt8, DataType.Int8) => ArrayGemm<byte, sbyte>(a, az, transA, b, bz, transB, m, k, n, cData, cRows, cCols, numerics),
            (DataType.UInt8, _) => ArrayGemm<byte, byte>(a, az, transA, b, bz, transB, m, k, n, cData, cRows, cCols, numerics),
            (_, DataType.Int8) => ArrayGemm<sbyte, sbyte>(a, az, transA, b, bz, transB, m, k, n, cData, cRows, cCols, numerics),
            _ => ArrayGemm<sbyte, byte>(a, az, transA, b, bz, transB, m, k, n, cData, cRows, cCols, numerics),
        }) : QuantOpArgs.Kernel(() =>
        {
            PackedGemmB packedB = PackedGemmB(ctx, b, bz, transB, k, n);
            return a.Type == DataType.UInt8
                ? Numerics.Kernels.QGemm.Accumulate<byte>(a.Items<byte>(), az, transA, packedB, m, cData, cRows, cCols, ctx.Options.Parallelism)
                : Numerics.Kernels.QGemm.Accumulate<sbyte>(a.Items<sbyte>(), az, transA, packedB, m, cData, cRows, cCols, ctx.Options.Parallelism);
        });
        float[] scales = QuantOpArgs.Kernel(() => Numerics.Kernels.QGemm.OutputScales(alpha, aScale, bScales, yScale, n));
        if (yScale is null)
        {
            var yf = new float[m * n];
            Numerics.Kernels.QGemm.Scale(acc, scales, yf);
            return [TensorValue.Create(DataType.Float, [m, n], yf)];
        }

        DataType yType = yZp?.Type ?? a.Type;
        int yz = QuantOpArgs.ZeroPoint(yZp, "y_zero_point");
        ArrayRequantizer? array = null;
        if (!numerics.IsReference)
        {
            // The real multiplier in double from the fp32 parameters, as TFLite derives its fixed-point multipliers.
            double[] reals = [.. Enumerable.Range(0, n).Select(j => (double)alpha * aScale * bScales[bScales.Length == 1 ? 0 : j] / yScale.Value)];
            array = QuantOpArgs.Kernel(() => new ArrayRequantizer(scales, reals, numerics));
        }

        Array y = yType switch
        {
            DataType.UInt8 => array is null ? RequantizeRows<byte>(acc, scales, yz) : ArrayRequantize<byte>(array, acc, 1, yz),
            DataType.Int8 => array is null ? RequantizeRows<sbyte>(acc, scales, yz) : ArrayRequantize<sbyte>(array, acc, 1, yz),
            _ => throw new OpException($"y_zero_point must be uint8 or int8, got {DataTypeInfo.Name(yType)}"),
        };
        return [TensorValue.Create(yType, [m, n], y)];
    }

    private static T[] ArrayRequantize<T>(ArrayRequantizer requantizer, int[] acc, int innerLength, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var y = new T[acc.Length];
        requantizer.Requantize<T>(acc, innerLength, zeroPoint, y);
        return y;
    }

    // QGemm on the array: C (broadcast to [M, N]) is the registers' initial value.
    private static int[] ArrayGemm<TA, TB>(TensorValue a, int az, bool transA, TensorValue b, int[] bz, bool transB, int m, int k, int n, int[] c, int cRows, int cCols, MatrixNumerics numerics)
        where TA : unmanaged, IBinaryInteger<TA>
        where TB : unmanaged, IBinaryInteger<TB>
    {
        if (c.Length != 0 && ((cRows != 1 && cRows != m) || (cCols != 1 && cCols != n) || c.Length != cRows * cCols))
        {
            throw new ArgumentException($"C [{cRows},{cCols}] does not broadcast to [{m},{n}]");
        }

        int[] init = c.Length == 0 ? [] : [.. Enumerable.Range(0, m * n).Select(p => c[((cRows == 1 ? 0 : p / n) * cCols) + (cCols == 1 ? 0 : p % n)])];
        var acc = new int[m * n];
        ArrayMatrix.Gemm<TA, TB>(a.Items<TA>(), [az], transA, b.Items<TB>(), bz, transB, m, k, n, init, numerics, acc);
        return acc;
    }

    private static T[] RequantizeRows<T>(int[] acc, float[] scales, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var y = new T[acc.Length];
        Numerics.Kernels.QGemm.Requantize<T>(acc, scales, zeroPoint, y);
        return y;
    }

    // scales is [M·N]; every batch matrix reuses it.
    private static T[] RequantizeTiled<T>(int[] acc, float[] scales, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var y = new T[acc.Length];
        int qmin = Requantizer.QMin<T>(), qmax = Requantizer.QMax<T>();
        for (int p = 0; p < acc.Length; p++)
        {
            y[p] = T.CreateTruncating(Requantizer.Requantize(acc[p], scales[p % scales.Length], zeroPoint, qmin, qmax));
        }

        return y;
    }

    private static T[] RequantizeColumns<T>(int[] acc, float[] columnScales, int zeroPoint)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        T[] y = TensorArena.Allocate<T>(acc.Length);
        Numerics.Kernels.QLinearMatMul.RequantizeColumns<T>(acc, columnScales, zeroPoint, y);
        return y;
    }

    // B at input bIndex; the VNNI product (U8S8MatMul) under ORT's arithmetic when A has one zero point, with a constant
    // B packed once and kept beside its tensor.
    private static int[] MatMulAcc(OpContext ctx, int bIndex, TensorValue a, int[] az, TensorValue b, int[] bz, MatMulShape shape)
    {
        MatrixNumerics numerics = ctx.MatrixNumerics;
        if (numerics.IsReference && U8S8MatMul.IsAccelerated && az.Length == 1 && shape.M > 0 && shape.K > 0 && shape.N > 0)
        {
            // The product writes every accumulator.
            int[] y = TensorArena.Allocate<int>(shape.BatchCount * shape.M * shape.N);
            PackedMatMulB packed = PackedMatMulB(ctx, bIndex, b, shape);
            QuantOpArgs.Kernel(() =>
            {
                if (a.Type == DataType.UInt8)
                {
                    U8S8MatMul.Accumulate<byte>(a.Items<byte>(), az[0], packed, bz, shape, y, ctx.Options.Parallelism);
                }
                else
                {
                    U8S8MatMul.Accumulate<sbyte>(a.Items<sbyte>(), az[0], packed, bz, shape, y, ctx.Options.Parallelism);
                }

                return 0;
            });
            return y;
        }

        return MatMulAccPlain(a, az, b, bz, shape, numerics);
    }

    private static int[] MatMulAccPlain(TensorValue a, int[] az, TensorValue b, int[] bz, MatMulShape shape, MatrixNumerics numerics)
    {
        var y = new int[shape.BatchCount * shape.M * shape.N];
        if (!numerics.IsReference)
        {
            QuantOpArgs.Kernel(() =>
            {
                switch (a.Type, b.Type)
                {
                    case (DataType.UInt8, DataType.Int8): ArrayMatrix.MatMul<byte, sbyte>(a.Items<byte>(), az, b.Items<sbyte>(), bz, shape, numerics, y); break;
                    case (DataType.UInt8, _): ArrayMatrix.MatMul<byte, byte>(a.Items<byte>(), az, b.Items<byte>(), bz, shape, numerics, y); break;
                    case (_, DataType.Int8): ArrayMatrix.MatMul<sbyte, sbyte>(a.Items<sbyte>(), az, b.Items<sbyte>(), bz, shape, numerics, y); break;
                    default: ArrayMatrix.MatMul<sbyte, byte>(a.Items<sbyte>(), az, b.Items<byte>(), bz, shape, numerics, y); break;
                }

                return 0;
            });
            return y;
        }

        QuantOpArgs.Kernel(() =>
        {
            switch (a.Type, b.Type)
            {
                case (DataType.UInt8, DataType.Int8): Numerics.Kernels.MatMulInteger.Compute<byte, sbyte>(a.Items<byte>(), az, b.Items<sbyte>(), bz, shape, y); break;
                case (DataType.UInt8, _): Numerics.Kernels.MatMulInteger.Compute<byte, byte>(a.Items<byte>(), az, b.Items<byte>(), bz, shape, y); break;
                case (_, DataType.Int8): Numerics.Kernels.MatMulInteger.Compute<sbyte, sbyte>(a.Items<sbyte>(), az, b.Items<sbyte>(), bz, shape, y); break;
                default: Numerics.Kernels.MatMulInteger.Compute<sbyte, byte>(a.Items<sbyte>(), az, b.Items<byte>(), bz, shape, y); break;
            }

            return 0;
        });
        return y;
    }

    private static ConvGeometry Geometry(OpContext ctx, TensorValue x, TensorValue w)
    {
        if (x.Rank < 3 || w.Rank != x.Rank)
        {
            throw new OpException($"x {x.ShapeText} and w {w.ShapeText} must both be N x C x spatial...");
        }

        int[] kernel = ctx.IntsOrNull("kernel_shape") is { } ks ? ks.Select(v => checked((int)v)).ToArray() : [.. w.Shape.Skip(2)];
        if (!kernel.SequenceEqual(w.Shape.Skip(2)))
        {
            throw new OpException($"kernel_shape [{string.Join(',', kernel)}] does not match w {w.ShapeText}");
        }

        int group = checked((int)ctx.Int("group", 1));
        if (group <= 0 || x.Shape[1] != w.Shape[1] * group)
        {
            throw new OpException($"x has {x.Shape[1]} channels but w {w.ShapeText} with group {group} expects {w.Shape[1] * group}");
        }

        string autoPad = ctx.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER" && ctx.IntsOrNull("dilations") is { } dil && dil.Any(d => d != 1))
        {
            // ORT refuses this combination (conv_attributes.h: "Dilation not supported for AutoPadType::SAME_*").
            throw new OpException($"dilations are not supported with auto_pad {autoPad} (as in ONNX Runtime)");
        }

        return QuantOpArgs.Kernel(() => ConvGeometry.Resolve(
            [.. x.Shape], w.Shape[0], kernel, ctx.IntsOrNull("strides"), ctx.IntsOrNull("dilations"), ctx.IntsOrNull("pads"), autoPad, group));
    }

    private static TY[] Conv<TX, TW, TY>(OpContext ctx, TensorValue x, TensorValue w, ConvArgs p)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
        where TY : unmanaged, IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        MatrixNumerics numerics = ctx.MatrixNumerics;
        int length = checked((int)ShapeMath.ElementCount(p.Geometry.OutputShape));
        if (!numerics.IsReference)
        {
            var y = new TY[length];
            QuantOpArgs.Kernel(() =>
            {
                var acc = new int[y.Length];
                ArrayMatrix.Conv<TX, TW>(x.Items<TX>(), p.XZeroPoint, w.Items<TW>(), p.WZeroPoints, p.Bias, p.Geometry, numerics, acc);
                int m = p.Geometry.OutChannels;
                float[] scales = Numerics.Kernels.QLinearConv.OutputScales(p.XScale, p.WScales, p.YScale, m);
                // (double)s_x · s_w[oc] / s_y: TFLite's PopulateConvolutionQuantizationParams.
                double[] reals = [.. Enumerable.Range(0, m).Select(oc => (double)p.XScale * p.WScales[p.WScales.Length == 1 ? 0 : oc] / p.YScale)];
                new ArrayRequantizer(scales, reals, numerics).Requantize<TY>(acc, p.Geometry.OutSize, p.YZeroPoint, y);
                return 0;
            });
            return y;
        }

        // The requantization writes every output, so the array may be a recycled one (TensorArena).
        TY[] output = TensorArena.Allocate<TY>(length);
        QuantOpArgs.Kernel(() =>
        {
            PackedConvWeights packed = PackedWeights<TX, TW>(ctx, w, p.Geometry, p.XZeroPoint, p.WZeroPoints);
            Numerics.Kernels.QLinearConv.Compute<TX, TY>(
                packed, x.Items<TX>(), p.XScale, p.WScales, p.YScale, p.YZeroPoint, p.Bias, output, ctx.Options.Parallelism);
            return 0;
        });
        return output;
    }

    private static PackedMatMulB PackedMatMulB(OpContext ctx, int bIndex, TensorValue b, MatMulShape shape)
    {
        int batches = shape.BBatchShape.Aggregate(1, (p, d) => p * d);
        Type type = b.Type == DataType.UInt8 ? typeof(byte) : typeof(sbyte);
        if (ctx.IsConstant(bIndex) && s_packedMatMulBs.TryGetValue(b, out PackedMatMulB? cached)
            && cached.K == shape.K && cached.N == shape.N && cached.Batches == batches && cached.ElementType == type)
        {
            return cached;
        }

        PackedMatMulB packed = QuantOpArgs.Kernel(() => b.Type == DataType.UInt8
            ? U8S8MatMul.PackB<byte>(b.Items<byte>(), batches, shape.K, shape.N)
            : U8S8MatMul.PackB<sbyte>(b.Items<sbyte>(), batches, shape.K, shape.N));
        if (ctx.IsConstant(bIndex))
        {
            s_packedMatMulBs.AddOrUpdate(b, packed);
        }

        return packed;
    }

    // QGemm's B when it is an initializer: packed once and kept beside its tensor, as a conv's weights are.
    private static PackedGemmB PackedGemmB(OpContext ctx, TensorValue b, int[] bz, bool transB, int k, int n)
    {
        Type type = b.Type == DataType.UInt8 ? typeof(byte) : typeof(sbyte);
        if (ctx.IsConstant(3) && s_packedGemmBs.TryGetValue(b, out PackedGemmB? cached) && cached.Matches(k, n, transB, bz, type))
        {
            return cached;
        }

        PackedGemmB packed = b.Type == DataType.UInt8
            ? Numerics.Kernels.QGemm.PackB<byte>(b.Items<byte>(), bz, transB, k, n)
            : Numerics.Kernels.QGemm.PackB<sbyte>(b.Items<sbyte>(), bz, transB, k, n);
        if (ctx.IsConstant(3))
        {
            s_packedGemmBs.AddOrUpdate(b, packed);
        }

        return packed;
    }

    // A constant weight (an initializer) is packed once per geometry and zero points and kept beside its tensor for the
    // next run (MLAS packs a constant weight once per session); a weight computed at run time is packed per call.
    private static PackedConvWeights PackedWeights<TX, TW>(OpContext ctx, TensorValue w, ConvGeometry g, int xZeroPoint, int[] wZeroPoints)
        where TX : unmanaged, IBinaryInteger<TX>
        where TW : unmanaged, IBinaryInteger<TW>
    {
        if (!ctx.IsConstant(3))
        {
            return PackedConvWeights.Pack<TX, TW>(g, xZeroPoint, w.Items<TW>(), wZeroPoints);
        }

        if (s_packedConvs.TryGetValue(w, out PackedConvWeights? cached) && cached.Matches(g, xZeroPoint, wZeroPoints)
            && cached.InputType == typeof(TX))
        {
            return cached;
        }

        PackedConvWeights packed = PackedConvWeights.Pack<TX, TW>(g, xZeroPoint, w.Items<TW>(), wZeroPoints);
        s_packedConvs.AddOrUpdate(w, packed);
        return packed;
    }

    private sealed record ConvArgs(ConvGeometry Geometry, float XScale, int XZeroPoint, float[] WScales, int[] WZeroPoints, float YScale, int YZeroPoint, int[] Bias);
}
