namespace SiliconSim.Cli.Vectors;

/// <summary>
/// CRC-32 as zlib, PNG and Ethernet compute it (reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF; check value of "123456789" is 0xCBF43926), so <c>python -c "import zlib; zlib.crc32(...)"</c> agrees.
/// The BCL has none and System.IO.Hashing is not among the allowed packages: a 256-entry table is enough.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
