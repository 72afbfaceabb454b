using System.Text;
using SiliconSim.Graph.IO;
using SiliconSim.Graph.Onnx;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Tests.IO;

public sealed class NpyReaderTests
{
    [Fact]
    public void Read_Float32Matrix()
    {
        byte[] file = Npy("<f4", "(2, 2)", [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(-2f), .. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(3f)]);
        TensorValue t = NpyReader.Read(new MemoryStream(file));
        Assert.Equal(DataType.Float, t.Type);
        Assert.Equal([2, 2], t.Shape.ToArray());
        Assert.Equal(new[] { 1f, -2f, 0.5f, 3f }, t.Items<float>());
    }

    [Fact]
    public void Read_Int64Vector_AndScalar()
    {
        TensorValue v = NpyReader.Read(new MemoryStream(Npy("<i8", "(3,)", [.. BitConverter.GetBytes(7L), .. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(2L)])));
        Assert.Equal(new long[] { 7, -1, 2 }, v.Items<long>());
        TensorValue s = NpyReader.Read(new MemoryStream(Npy("|u1", "()", [42])));
        Assert.Empty(s.Shape);
        Assert.Equal((byte)42, s.Items<byte>()[0]);
    }

    [Theory]
    [InlineData("<c8", "not supported")]
    [InlineData("|O", "not supported")]
    [InlineData(">f4", "big-endian")]
    public void Read_UnsupportedDtype_NamesIt(string descr, string expected)
    {
        var e = Assert.Throws<OnnxFormatException>(() => NpyReader.Read(new MemoryStream(Npy(descr, "(1,)", new byte[8]))));
        Assert.Contains(descr, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FortranOrder_IsRefused()
    {
        string header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }";
        var e = Assert.Throws<OnnxFormatException>(() => NpyReader.Read(new MemoryStream(WithHeader(header, new byte[16]))));
        Assert.Contains("Fortran", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedData_SaysHowMuchWasNeeded()
    {
        var e = Assert.Throws<OnnxFormatException>(() => NpyReader.Read(new MemoryStream(Npy("<f4", "(4,)", new byte[5]))));
        Assert.Contains("needs 16 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotNpy_IsRefused() =>
        Assert.Throws<OnnxFormatException>(() => NpyReader.Read(new MemoryStream("hello world"u8.ToArray())));

    [Fact]
    public void Read_SharedDigitsLabels()
    {
        string path = Path.Combine(SharedData.Digits, "digits_test_y.npy");
        using var stream = File.OpenRead(path);
        TensorValue labels = NpyReader.Read(stream);
        Assert.Equal([360], labels.Shape.ToArray());
        Assert.True(DataTypeInfo.IsInteger(labels.Type));
        Assert.All(Enumerable.Range(0, labels.Length), i => Assert.InRange(TensorComparison.ToDouble(labels, i), 0, 9));
    }

    internal static byte[] Npy(string descr, string shape, byte[] data) =>
        WithHeader($"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}", data);

    private static byte[] WithHeader(string header, byte[] data)
    {
        int total = 10 + header.Length + 1;
        string padded = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        byte[] h = Encoding.ASCII.GetBytes(padded);
        return [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)(h.Length & 0xFF), (byte)(h.Length >> 8), .. h, .. data];
    }
}
