using SiliconSim.Numerics.Formats;

namespace SiliconSim.Numerics;

/// <summary>How one actual tensor compares with an expected one.</summary>
/// <param name="Elements">Elements compared.</param>
/// <param name="Mismatches">Elements outside tolerance (with zero tolerance: whose values differ; NaN equals NaN).</param>
/// <param name="MaxAbsDiff">The largest |actual − expected| over finite pairs.</param>
/// <param name="Problem">Why the tensors could not be compared element-wise (type or shape differ), else null.</param>
public sealed record TensorComparison(long Elements, long Mismatches, double MaxAbsDiff, string? Problem)
{
    public bool Passed => Problem is null && Mismatches == 0;

    /// <summary>
    /// Compares element-wise. Integer and bool tensors must be equal. Float tensors pass an element when
    /// |a − e| ≤ atol + rtol·|e| (numpy.isclose's rule, which the ONNX backend tests use); with both tolerances zero
    /// that is exact equality of values (+0 equals −0, NaN equals NaN).
    /// </summary>
    public static TensorComparison Compare(TensorValue actual, TensorValue expected, double rtol = 0, double atol = 0)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        if (actual.Type != expected.Type)
        {
            return new TensorComparison(expected.Length, expected.Length, double.NaN, $"type {DataTypeInfo.Name(actual.Type)} where {DataTypeInfo.Name(expected.Type)} was expected");
        }

        if (!actual.Shape.SequenceEqual(expected.Shape))
        {
            return new TensorComparison(expected.Length, expected.Length, double.NaN, $"shape {actual.ShapeText} where {expected.ShapeText} was expected");
        }

        if (actual.Type == DataType.String)
        {
            var a = actual.Items<string>();
            var e = expected.Items<string>();
            long bad = a.Where((s, i) => !string.Equals(s, e[i], StringComparison.Ordinal)).LongCount();
            return new TensorComparison(a.Length, bad, bad > 0 ? double.NaN : 0, null);
        }

        bool isFloat = DataTypeInfo.IsFloat(actual.Type);
        long mismatches = 0;
        double maxDiff = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = ToDouble(actual, i);
            double e = ToDouble(expected, i);
            if (double.IsNaN(a) || double.IsNaN(e))
            {
                if (double.IsNaN(a) != double.IsNaN(e))
                {
                    mismatches++;
                }

                continue;
            }

            if (double.IsInfinity(a) || double.IsInfinity(e))
            {
                if (a != e)
                {
                    mismatches++;
                    maxDiff = double.PositiveInfinity;
                }

                continue;
            }

            double diff = Math.Abs(a - e);
            maxDiff = Math.Max(maxDiff, diff);
            bool ok = isFloat ? diff <= atol + (rtol * Math.Abs(e)) : a == e;
            if (!ok)
            {
                mismatches++;
            }
        }

        return new TensorComparison(actual.Length, mismatches, maxDiff, null);
    }

    /// <summary>Element <paramref name="i"/> widened to double (exact for every type up to 32-bit, and for int64 up to 2^53).</summary>
    public static double ToDouble(TensorValue t, int i) => t.Type switch
    {
        // Dispatch on the element type, not the array: the CLR lets byte[] match an sbyte[] pattern.
        DataType.Float => t.Items<float>()[i],
        DataType.Double => t.Items<double>()[i],
        DataType.Float16 => (double)t.Items<Half>()[i],
        DataType.BFloat16 => t.Items<BFloat16>()[i].ToSingle(),
        DataType.Int8 or DataType.Int4 or DataType.Int2 => t.Items<sbyte>()[i],
        DataType.UInt8 or DataType.UInt4 or DataType.UInt2 => t.Items<byte>()[i],
        DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ
            or DataType.Float8E8M0 or DataType.Float4E2M1 => MiniFloats.Decode(t.Type, t.Items<byte>()[i]),
        DataType.Int16 => t.Items<short>()[i],
        DataType.UInt16 => t.Items<ushort>()[i],
        DataType.Int32 => t.Items<int>()[i],
        DataType.UInt32 => t.Items<uint>()[i],
        DataType.Int64 => t.Items<long>()[i],
        DataType.UInt64 => t.Items<ulong>()[i],
        DataType.Bool => t.Items<bool>()[i] ? 1 : 0,
        _ => throw new NotSupportedException($"cannot compare {t.Type}"),
    };
}
