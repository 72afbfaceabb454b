namespace SiliconSim.Cli.Vectors;

/// <summary>How one tensor of a kernel's dump compares with its golden.</summary>
/// <param name="Entry">The golden's manifest entry.</param>
/// <param name="Elements">Elements compared.</param>
/// <param name="Mismatches">Elements outside the tolerance (integers: any difference).</param>
/// <param name="First">The first mismatches in row-major order (at most <see cref="TensorCheck.ShownMismatches"/>).</param>
/// <param name="Histogram">Mismatch counts by |difference| bucket, in bucket order (<see cref="TensorCheck.Buckets"/>).</param>
/// <param name="Channels">Mismatches per channel (the c or col axis) where any, ascending by channel; empty without such an axis.</param>
internal sealed record TensorCheck(VectorFileEntry Entry, long Elements, long Mismatches, IReadOnlyList<TensorMismatch> First, long[] Histogram, IReadOnlyList<(int Channel, long Mismatches, long Elements)> Channels)
{
    public const int ShownMismatches = 5;

    /// <summary>Upper bounds (exclusive) of the |difference| buckets; the last bucket has none.</summary>
    public static readonly double[] Buckets = [1, 2, 4, 16, 256, 65536];

    public static readonly string[] BucketNames = ["<1", "1", "2-3", "4-15", "16-255", "256-65535", ">=65536"];
}
