using Google.Protobuf;
using SiliconSim.Graph.Onnx;
using SiliconSim.Graph.Onnx.Proto;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Formats;

namespace SiliconSim.Graph.Tests.Onnx;

public sealed class TensorProtosTests
{
    public static TheoryData<DataType> AllTypes() =>
    [
        DataType.Float, DataType.Double, DataType.Float16, DataType.BFloat16, DataType.Int8, DataType.UInt8,
        DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64, DataType.Bool,
        DataType.Int4, DataType.UInt4, DataType.Int2, DataType.UInt2, DataType.Float8E4M3FN, DataType.Float8E4M3FNUZ,
        DataType.Float8E5M2, DataType.Float8E5M2FNUZ, DataType.Float8E8M0, DataType.Float4E2M1, DataType.String,
    ];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void RawData_RoundTripsEveryElementType(DataType type)
    {
        // Odd lengths exercise the half-filled last byte of packed 4- and 2-bit types.
        TensorValue original = Sample(type, [3, 5]);
        TensorProto proto = TensorProtos.ToProto("t", original);
        TensorValue back = TensorProtos.FromProto(TensorProto.Parser.ParseFrom(proto.ToByteArray()));
        Assert.Equal(type, back.Type);
        Assert.Equal(original.Shape.ToArray(), back.Shape.ToArray());
        Assert.Equal(original.Data.Cast<object>(), back.Data.Cast<object>());
    }

    [Fact]
    public void Int4_PacksLowNibbleFirst()
    {
        var t = TensorValue.Create(DataType.Int4, [3], new sbyte[] { -8, 7, -1 });
        byte[] raw = TensorProtos.ToRaw(t);
        // ONNX: element 0 in bits 0-3, element 1 in bits 4-7; -8 = 0x8, 7 = 0x7, -1 = 0xF.
        Assert.Equal(new byte[] { 0x78, 0x0F }, raw);
    }

    [Fact]
    public void TypedFields_DecodeInt32DataForNarrowTypes()
    {
        var proto = new TensorProto { DataType = (int)DataType.Int8, Name = "w" };
        proto.Dims.Add(3);
        proto.Int32Data.AddRange([-128, 0, 127]);
        Assert.Equal(new sbyte[] { -128, 0, 127 }, TensorProtos.FromProto(proto).Items<sbyte>());

        var half = new TensorProto { DataType = (int)DataType.Float16 };
        half.Dims.Add(1);
        half.Int32Data.Add(0x3C00);
        Assert.Equal((Half)1.0f, TensorProtos.FromProto(half).Items<Half>()[0]);

        var u4 = new TensorProto { DataType = (int)DataType.UInt4 };
        u4.Dims.Add(3);
        u4.Int32Data.AddRange([0x21, 0x03]);
        Assert.Equal(new byte[] { 1, 2, 3 }, TensorProtos.FromProto(u4).Items<byte>());
    }

    [Fact]
    public void ElementCountAbove2To31_IsRefused()
    {
        var proto = new TensorProto { DataType = (int)DataType.UInt8, Name = "huge" };
        proto.Dims.AddRange([65536, 65536]);
        var e = Assert.Throws<OnnxFormatException>(() => TensorProtos.FromProto(proto));
        Assert.Contains("huge", e.Message, StringComparison.Ordinal);
        Assert.Contains("2^31", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawDataOfWrongLength_IsRefused()
    {
        var proto = new TensorProto { DataType = (int)DataType.Float, Name = "short", RawData = ByteString.CopyFrom(new byte[7]) };
        proto.Dims.Add(2);
        var e = Assert.Throws<OnnxFormatException>(() => TensorProtos.FromProto(proto));
        Assert.Contains("needs 8 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalData_IsReadThroughTheResolverAtItsOffset()
    {
        var proto = External("w", "weights.bin", offset: 4, length: 8);
        var store = new InMemoryExternalData(new Dictionary<string, byte[]> { ["weights.bin"] = [9, 9, 9, 9, 0, 0, 128, 63, 0, 0, 0, 64] });
        TensorValue t = TensorProtos.FromProto(proto, store);
        Assert.Equal(new[] { 1f, 2f }, t.Items<float>());
    }

    [Theory]
    [InlineData("../secret.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../x.bin")]
    [InlineData("C:\\x.bin")]
    public void ExternalData_LeavingTheModelFolder_IsRefused(string location)
    {
        var proto = External("w", location, 0, 8);
        var e = Assert.Throws<OnnxFormatException>(() => TensorProtos.FromProto(proto, new InMemoryExternalData([])));
        Assert.Contains("leaves the model's folder", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weights.bin", true)]
    [InlineData("sub/../weights.bin", true)]
    [InlineData("./a/b.bin", true)]
    [InlineData("..", false)]
    [InlineData("a/../../b", false)]
    public void IsInsideFolder_FollowsPathSegments(string location, bool inside) =>
        Assert.Equal(inside, ExternalLocation.IsInsideFolder(location));

    private static TensorProto External(string name, string location, long offset, long length)
    {
        var proto = new TensorProto { DataType = (int)DataType.Float, Name = name, DataLocation = TensorProto.Types.DataLocation.External };
        proto.Dims.Add(2);
        proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return proto;
    }

    private static TensorValue Sample(DataType type, int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        Array data = type switch
        {
            DataType.Float => Enumerable.Range(0, n).Select(i => (i * 0.37f) - 2f).ToArray(),
            DataType.Double => Enumerable.Range(0, n).Select(i => (i * 0.37) - 2).ToArray(),
            DataType.Float16 => Enumerable.Range(0, n).Select(i => (Half)((i * 0.5f) - 3f)).ToArray(),
            DataType.BFloat16 => Enumerable.Range(0, n).Select(i => BFloat16.FromSingle((i * 0.25f) - 1f)).ToArray(),
            DataType.Int8 => Enumerable.Range(0, n).Select(i => (sbyte)((i * 37) - 128)).ToArray(),
            DataType.UInt8 => Enumerable.Range(0, n).Select(i => (byte)(i * 17)).ToArray(),
            DataType.Int16 => Enumerable.Range(0, n).Select(i => (short)((i * 3001) - 30000)).ToArray(),
            DataType.UInt16 => Enumerable.Range(0, n).Select(i => (ushort)(i * 4001)).ToArray(),
            DataType.Int32 => Enumerable.Range(0, n).Select(i => (i * 100_000_007) - 5).ToArray(),
            DataType.UInt32 => Enumerable.Range(0, n).Select(i => (uint)i * 300_000_007u).ToArray(),
            DataType.Int64 => Enumerable.Range(0, n).Select(i => (i * 1_000_000_000_007L) - 3).ToArray(),
            DataType.UInt64 => Enumerable.Range(0, n).Select(i => (ulong)i * 9_000_000_000_000_007UL).ToArray(),
            DataType.Bool => Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray(),
            DataType.Int4 => Enumerable.Range(0, n).Select(i => (sbyte)((i % 16) - 8)).ToArray(),
            DataType.UInt4 => Enumerable.Range(0, n).Select(i => (byte)(i % 16)).ToArray(),
            DataType.Int2 => Enumerable.Range(0, n).Select(i => (sbyte)((i % 4) - 2)).ToArray(),
            DataType.UInt2 => Enumerable.Range(0, n).Select(i => (byte)(i % 4)).ToArray(),
            DataType.Float4E2M1 => Enumerable.Range(0, n).Select(i => (byte)(i % 16)).ToArray(),
            DataType.String => Enumerable.Range(0, n).Select(i => $"s{i}é").ToArray(),
            _ => Enumerable.Range(0, n).Select(i => (byte)((i * 29) + 1)).ToArray(),
        };
        return TensorValue.Create(type, shape, data);
    }

    private sealed class InMemoryExternalData(Dictionary<string, byte[]> files) : IExternalData
    {
        public byte[] Read(ExternalLocation location)
        {
            byte[] file = files[location.Location];
            return file.AsSpan((int)location.Offset, (int)location.Length).ToArray();
        }
    }
}
