using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Simulation.Tests.Mapping;

/// <summary>Stored bytes of a value in a block format, against the formats' definitions written out per case.</summary>
public sealed class StorageBytesTests
{
    [Fact]
    public void Mx_Fp4_ChannelBlocks_CountAPartialBlockPerPixel()
    {
        // [2, 40, 3, 3]: 18 pixels of 40 channels; 4-bit elements packed two to a byte; per pixel one full block of 32
        // and one partial block of 8, one E8M0 byte each.
        Assert.Equal((2 * 40 * 9 / 2) + (18 * 2), StorageBytes.Of(StoredFormat.Mx(DataType.Float4E2M1, 1), [2, 40, 3, 3]));
    }

    [Fact]
    public void Mx_Fp8_RowBlocks()
    {
        // [5, 96]: 5 rows of three blocks of 32 one-byte elements.
        Assert.Equal((5 * 96) + (5 * 3), StorageBytes.Of(StoredFormat.Mx(DataType.Float8E4M3FN, -1), [5, 96]));
    }

    [Fact]
    public void OddElementCount_PacksAcrossLines()
    {
        // [3, 5] fp4 rows: 15 elements take 8 bytes (the last half-filled), plus one partial block per row.
        Assert.Equal(8 + 3, StorageBytes.Of(StoredFormat.Mx(DataType.Float4E2M1, -1), [3, 5]));
    }

    [Fact]
    public void BlockAxisOutOfRange_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => StorageBytes.Of(StoredFormat.Mx(DataType.Float4E2M1, 1), [4]));
    }
}
