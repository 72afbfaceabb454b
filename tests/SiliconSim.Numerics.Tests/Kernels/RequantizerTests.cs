using SiliconSim.Numerics.Kernels;

namespace SiliconSim.Numerics.Tests.Kernels;

public sealed class RequantizerTests
{
    [Theory]
    [InlineData(1, 0.5f, 0, 0)] // 0.5 → 0 (ties to even)
    [InlineData(3, 0.5f, 0, 2)] // 1.5 → 2
    [InlineData(5, 0.5f, 0, 2)] // 2.5 → 2
    [InlineData(-3, 0.5f, 10, 8)] // -1.5 → -2, + 10
    [InlineData(1000, 1f, 0, 255)] // saturates at qmax
    [InlineData(-1000, 1f, 5, 0)] // saturates at qmin
    [InlineData(16777217, 1f, -16777000, 216)] // float(acc) rounds to 16777216 before the multiply (exact would give 217)
    public void Requantize_Uint8_RoundsHalfToEvenAndSaturates(int acc, float scale, int zp, int expected) =>
        Assert.Equal(expected, Requantizer.Requantize(acc, scale, zp, 0, 255));

    [Fact]
    public void Requantize_NaNScale_GivesLowerBound() => Assert.Equal(-128, Requantizer.Requantize(7, float.NaN, 3, -128, 127));

    [Theory]
    [InlineData(3e9f, int.MinValue)]
    [InlineData(float.NaN, int.MinValue)]
    [InlineData(-2.5f, -2)]
    [InlineData(2147483520f, 2147483520)]
    public void ConvertToInt32x86_MatchesCvtps2dq(float v, int expected) => Assert.Equal(expected, Requantizer.ConvertToInt32x86(v));

    [Theory]
    [InlineData(300, 255)]
    [InlineData(-5, 0)]
    [InlineData(70000, 255)]
    [InlineData(int.MinValue, 0)]
    public void SaturateViaInt16_Uint8_ClampsThroughPacks(int v, int expected) => Assert.Equal((byte)expected, Requantizer.SaturateViaInt16<byte>(v));
    /// <summary>
    /// Strided rows shorter than a vector (a depthwise conv with a 1-wide output): every code equals the one-row
    /// reference, and not one byte past the rows changes, since those belong to the next channel, which another thread
    /// may already have written (MobileNetV2's kernel pass wrote 8-byte vectors there and raced).
    /// </summary>
    [Theory]
    [InlineData(1, 3, 4)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 2, 3)]
    [InlineData(5, 4, 8)]
    [InlineData(9, 3, 12)]
    public void RequantizeStridedRows_NeverWritesPastItsRows(int rowLength, int rows, int accRowStride)
    {
        var rng = new Random(rowLength * 100 + rows);
        int[] acc = [.. Enumerable.Range(0, (rows * accRowStride) + 16).Select(_ => rng.Next(-5000, 5000))];
        const byte Sentinel = 0xA5;
        var y = Enumerable.Repeat(Sentinel, (rows * rowLength) + 32).ToArray();
        Requantizer.RequantizeStridedRows<byte>(acc, accRowStride, rowLength, rows, 7, 0.05f, 128, y.AsSpan(0, rows * rowLength));

        var expected = new byte[rowLength];
        for (int r = 0; r < rows; r++)
        {
            Requantizer.RequantizeRow<byte>(acc.AsSpan(r * accRowStride, rowLength), 7, 0.05f, 128, expected);
            Assert.Equal(expected, y.AsSpan(r * rowLength, rowLength).ToArray());
        }

        Assert.All(y.Skip(rows * rowLength), b => Assert.Equal(Sentinel, b));
    }
}
