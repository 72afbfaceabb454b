using System.Globalization;

namespace SiliconSim.Numerics;

/// <summary>
/// How much memory one tensor and one run (import, lowering and execution of a model) may take, checked against the
/// size a shape asks for before anything is allocated, so a 200-byte model asking for ConstantOfShape([2^30]) of int64
/// fails at once with a located error instead of taking 8 GB (issue 13).
/// </summary>
public sealed record MemoryBudget
{
    /// <summary>2 GiB per tensor: the largest .NET array of bytes (2^31 − 1 elements) and a quarter of the per-run
    /// default, so a laptop with 16 GB holds the run with room for the OS; no bundled or zoo model the tests use has a
    /// tensor above 100 MB.</summary>
    public const long DefaultPerTensorBytes = 2L << 30;

    /// <summary>8 GiB per run: half of a 16 GB laptop, the smallest machine the README expects.</summary>
    public const long DefaultPerRunBytes = 8L << 30;

    /// <summary>The defaults (<see cref="DefaultPerTensorBytes"/>, <see cref="DefaultPerRunBytes"/>).</summary>
    public static MemoryBudget Default { get; } = new();

    /// <summary>Bytes one tensor may occupy (its elements times their storage size).</summary>
    public long PerTensorBytes { get; init; } = DefaultPerTensorBytes;

    /// <summary>Bytes the tensors alive at once during a run may occupy together.</summary>
    public long PerRunBytes { get; init; } = DefaultPerRunBytes;

    /// <summary>A budget of <paramref name="gib"/> GiB per run, of which one tensor may take a quarter (the defaults'
    /// ratio): what <c>--max-memory-gib</c> sets.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gib"/> is not a positive finite number of at most 2^20 (a PiB).</exception>
    public static MemoryBudget OfGiB(double gib)
    {
        if (!double.IsFinite(gib) || gib <= 0 || gib > (1 << 20))
        {
            throw new ArgumentOutOfRangeException(nameof(gib), gib, "a memory budget must be a positive number of GiB, at most 1048576");
        }

        long perRun = (long)(gib * (1L << 30));
        return new MemoryBudget { PerRunBytes = perRun, PerTensorBytes = perRun / 4 };
    }

    /// <summary>Bytes a <paramref name="type"/> tensor of <paramref name="dims"/> takes in memory (storage size per
    /// element, strings counted as references), saturating at <see cref="long.MaxValue"/>; a negative dim counts as 0
    /// (the kernels refuse it themselves).</summary>
    public static long BytesFor(DataType type, ReadOnlySpan<long> dims)
    {
        long elementBytes = ElementBytes(type);
        long bytes = elementBytes;
        foreach (long d in dims)
        {
            if (d <= 0)
            {
                return 0;
            }
        }

        foreach (long d in dims)
        {
            bytes = d > long.MaxValue / bytes ? long.MaxValue : bytes * d;
        }

        return bytes;
    }

    /// <inheritdoc cref="BytesFor(DataType, ReadOnlySpan{long})"/>
    public static long BytesFor(DataType type, ReadOnlySpan<int> dims)
    {
        Span<long> wide = dims.Length <= 16 ? stackalloc long[dims.Length] : new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            wide[i] = dims[i];
        }

        return BytesFor(type, wide);
    }

    /// <summary>Refuses a tensor of <paramref name="type"/> and <paramref name="dims"/> that would exceed the per-tensor
    /// budget, before it is allocated.</summary>
    /// <param name="what">What would be allocated ("output 0", "the folded constant"), for the message.</param>
    /// <exception cref="MemoryBudgetException">the tensor is over the budget.</exception>
    public void CheckTensor(string what, DataType type, ReadOnlySpan<long> dims)
    {
        long bytes = BytesFor(type, dims);
        if (bytes > PerTensorBytes)
        {
            throw new MemoryBudgetException(
                $"{what} {DataTypeInfo.Name(type)}[{string.Join(',', dims.ToArray())}] needs {FormatBytes(bytes)}, over the per-tensor memory budget of {FormatBytes(PerTensorBytes)} (--max-memory-gib raises it)");
        }
    }

    /// <inheritdoc cref="CheckTensor(string, DataType, ReadOnlySpan{long})"/>
    public void CheckTensor(string what, DataType type, ReadOnlySpan<int> dims)
    {
        long[] wide = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            wide[i] = dims[i];
        }

        CheckTensor(what, type, wide);
    }

    /// <summary>Refuses a run whose live tensors would take <paramref name="liveBytes"/> together.</summary>
    /// <exception cref="MemoryBudgetException">over the per-run budget.</exception>
    public void CheckRun(string what, long liveBytes)
    {
        if (liveBytes > PerRunBytes)
        {
            throw new MemoryBudgetException($"{what} brings the tensors alive at once to {FormatBytes(liveBytes)}, over the per-run memory budget of {FormatBytes(PerRunBytes)} (--max-memory-gib raises it)");
        }
    }

    /// <summary>Bytes as "8 GiB", "1.5 GiB" or "512 MiB", or "more than 8 EiB" when saturated.</summary>
    public static string FormatBytes(long bytes) =>
        bytes == long.MaxValue ? "more than 8 EiB"
        : bytes >= 1L << 30 ? $"{(bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture)} GiB"
        : bytes >= 1L << 20 ? $"{(bytes / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture)} MiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} B";

    private static long ElementBytes(DataType type) => type switch
    {
        DataType.String => IntPtr.Size,
        DataType.Bool => 1,
        _ => StorageBytes(type),
    };

    private static long StorageBytes(DataType type)
    {
        try
        {
            return Math.Max(1, DataTypeInfo.BitWidth(type) / 8);
        }
        catch (NotSupportedException)
        {
            return 1;
        }
    }
}
