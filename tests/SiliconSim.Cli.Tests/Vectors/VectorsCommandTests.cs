using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Cli.Vectors;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Vectors;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests.Vectors;

public sealed class VectorsCommandTests
{
    private const string Conv = "/f/f.0/Conv";
    private static readonly string s_digits = Path.Combine(Repository.Root, "workloads", "digits", "digits_cnn_qdq_s8s8_channel");

    [Theory]
    [InlineData("npy")]
    [InlineData("hex")]
    [InlineData("bin")]
    public void Export_ThenCheckOfItsOwnVectors_Matches(string format)
    {
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden");
        var export = CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", $"{Conv},/fc/Gemm", "--tiles", "--format", format, "--out", golden);
        Assert.True(export.Exit == 0, export.Err);

        var check = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", golden);

        Assert.True(check.Exit == 0, check.Out + check.Err);
        Assert.DoesNotContain("MISMATCH", check.Out, StringComparison.Ordinal);
        Assert.Contains($"{Conv} accumulators", check.Out, StringComparison.Ordinal);
        Assert.Contains("_psum", check.Out, StringComparison.Ordinal);
        foreach (string tileTensor in new[] { "t0000_input", "t0000_bias", "t0000_scale", "t0000_w_zero_point", "t0000_acc", "_output:" })
        {
            Assert.Contains(tileTensor, check.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AFlippedBitInAPerTileOutput_IsNamedWithItsTileCoordinate()
    {
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden"), actual = Path.Combine(dir.Path, "actual");
        Assert.Equal(0, CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", Conv, "--tiles", "--format", "bin", "--out", golden).Exit);
        Assert.Equal(0, CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", Conv, "--tiles", "--format", "bin", "--out", actual).Exit);
        VectorFileEntry tileOutput = VectorFolder.ReadManifest(golden)!.Files.Last(e => e.Role == "output" && e.Tile is not null);
        string file = Path.Combine(actual, tileOutput.File);
        byte[] raw = File.ReadAllBytes(file);
        raw[^1] ^= 1; // int8 outputs: the last byte is element (g, row, col) = shape - 1
        File.WriteAllBytes(file, raw);

        var check = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", actual);

        int[] s = tileOutput.Shape;
        Assert.Equal(1, check.Exit);
        Assert.Contains($"MISMATCH  {Conv} {tileOutput.Tensor}: 1 of {s[0] * s[1] * s[2]} elements differ", check.Out, StringComparison.Ordinal);
        Assert.Contains($"at (g={s[0] - 1}, row={s[1] - 1}, col={s[2] - 1}, tile={tileOutput.Tile})", check.Out, StringComparison.Ordinal);
        Assert.Contains("1 with mismatches", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportedAccumulators_AreTheDefinitionAndRequantizeToTheOutputs()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", "all", "--format", "bin", "--out", dir.Path).Exit);
        VectorManifest manifest = VectorFolder.ReadManifest(dir.Path)!;
        int layers = 0;
        foreach (IGrouping<string, VectorFileEntry> layer in manifest.Files.GroupBy(f => f.Layer).Where(l => l.Any(f => f.Tensor == "accumulators")))
        {
            TensorValue Read(string name) => VectorFolder.ReadTensor(dir.Path, layer.Single(f => f.Tensor == name), VectorFormat.Bin)!;
            int[] a = TensorCodes.Ints(Read("operand")), w = TensorCodes.Ints(Read("weights")), bias = TensorCodes.Ints(Read("bias"));
            int[] wzp = TensorCodes.Ints(Read("w_zero_point")), acc = TensorCodes.Ints(Read("accumulators")), y = TensorCodes.Ints(Read("output"));
            int azp = TensorCodes.Ints(Read("a_zero_point"))[0], yzp = TensorCodes.Ints(Read("y_zero_point"))[0];
            float[] scale = Read("scale").Items<float>();
            int[] shape = layer.Single(f => f.Tensor == "operand").Shape, outShape = layer.Single(f => f.Tensor == "output").Shape;
            int groups = shape[0], m = shape[1], k = shape[2], n = wzp.Length / groups;
            int plane = outShape.Length == 4 ? outShape[2] * outShape[3] : 1;
            for (int g = 0; g < groups; g++)
            {
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        int channel = (g * n) + j;
                        long sum = bias[channel];
                        for (int t = 0; t < k; t++)
                        {
                            sum += (long)(a[(((g * m) + i) * k) + t] - azp) * (w[(((g * k) + t) * n) + j] - wzp[channel]);
                        }

                        int at = plane == 1 ? (i * n) + j : ((((i / plane) * groups * n) + channel) * plane) + (i % plane);
                        Assert.Equal((int)sum, acc[at]);
                        // ORT's fp32 requantizer (docs/ort-cpu-findings.md): round half to even of acc · scale, clamped.
                        float v = Math.Clamp(acc[at] * scale[channel], 0 - yzp, 255 - yzp);
                        Assert.Equal((int)MathF.Round(v) + yzp, y[at]);
                    }
                }
            }

            layers++;
        }

        Assert.Equal(5, layers); // four convolutions and the classifier
    }

    public static TheoryData<string, string> FormatsAndTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (string format in new[] { "npy", "hex", "bin" })
        {
            foreach (string type in new[] { "int8", "uint8", "int4", "float4e2m1", "float8e4m3fn", "int32" })
            {
                data.Add(format, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndTypes))]
    public void EveryFormatAndType_RoundTripsAndAFlippedBitIsFoundAtItsCoordinate(string format, string typeName)
    {
        DataType type = Enum.Parse<DataType>(typeName, ignoreCase: true);
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden"), actual = Path.Combine(dir.Path, "actual");
        TensorValue value = Codes(type, [2, 3, 5], seed: 7);
        WriteFolder(golden, value, format);
        WriteFolder(actual, value, format);
        var same = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", actual);
        Assert.True(same.Exit == 0, same.Out + same.Err);

        // Element 17 = (n=1, c=0, h=2) of [2, 3, 5]; its lowest bit lives in byte 17 (8-bit), 17/2 high nibble (4-bit) or 68 (int32).
        int bits = DataTypeInfo.BitWidth(type);
        int bitIndex = bits == 4 ? (8 * 8) + 4 : 17 * bits;
        FlipBit(actual, format, bitIndex, Path.Combine(actual, "layer", "output." + format), bits);
        var flipped = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", actual);

        Assert.Equal(1, flipped.Exit);
        Assert.Contains("MISMATCH  layer output: 1 of 30 elements differ", flipped.Out, StringComparison.Ordinal);
        Assert.Contains("at (n=1, c=0, w=2)", flipped.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fp8", "float8e4m3fn", "npy")]
    [InlineData("nvfp4", "float4e2m1", "hex")]
    [InlineData("mxfp4", "float4e2m1", "bin")]
    public void LowPrecisionArrayLayers_ExportAndCheckTheirPackedOperands(string quantFormat, string elementType, string format)
    {
        using var dir = new TempFolder();
        string model = Path.Combine(dir.Path, "q.onnx"), golden = Path.Combine(dir.Path, "golden");
        string digits = Path.Combine(Repository.Root, "workloads", "digits");
        Assert.Equal(0, CliRunner.Run("quantize", "--model", Path.Combine(digits, "digits_cnn_fp32", "model.onnx"), "--calib", Path.Combine(digits, "digits_calib_x.npy"), "--format", quantFormat, "--out", model).Exit);
        var export = CliRunner.Run("vectors", "export", "--config", "edge-npu-mx", "--model", model, "--input", Path.Combine(digits, "digits_test_x.npy"), "--layers", "/f/f.2/Conv,/fc/Gemm", "--format", format, "--out", golden);
        Assert.True(export.Exit == 0, export.Err);
        VectorManifest manifest = VectorFolder.ReadManifest(golden)!;
        Assert.Contains(manifest.Files, f => f.ElementType == elementType);

        var check = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", golden);

        Assert.True(check.Exit == 0, check.Out + check.Err);
        Assert.Contains($"{manifest.Files.Count} tensors compared, 0 with mismatches", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckWithoutGoldenManifest_IsBadInputNamingTheFile()
    {
        using var dir = new TempFolder();
        var r = CliRunner.Run("vectors", "check", "--golden", dir.Path, "--actual", dir.Path);
        Assert.Equal(2, r.Exit);
        Assert.Contains(Path.Combine(dir.Path, "manifest.json"), r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Fact]
    public void CheckOfAMalformedHexDump_IsBadInputNamingTheFileAndLine()
    {
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden"), actual = Path.Combine(dir.Path, "actual");
        TensorValue value = Codes(DataType.Int8, [2, 3, 5], seed: 1);
        WriteFolder(golden, value, "hex");
        Directory.CreateDirectory(Path.Combine(actual, "layer"));
        File.WriteAllText(Path.Combine(actual, "layer", "output.hex"), "0a\nzz\n");

        var r = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", actual);

        Assert.Equal(2, r.Exit);
        Assert.Contains(Path.Combine(actual, "layer", "output.hex"), r.Err, StringComparison.Ordinal);
        Assert.Contains("line 2: 'zz' is not a 8-bit hex word", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckOfAManifestWithAnEnormousShape_IsBadInputNotAnAllocation()
    {
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden");
        WriteFolder(golden, Codes(DataType.Int8, [2, 3, 5], seed: 1), "bin");
        string manifest = Path.Combine(golden, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"shape\": [\n        2,\n        3,\n        5\n      ]", "\"shape\": [\n        200000,\n        300000,\n        5\n      ]", StringComparison.Ordinal));

        var r = CliRunner.Run("vectors", "check", "--golden", golden, "--actual", golden);

        Assert.Equal(2, r.Exit);
        Assert.Contains("has more than 2147483647 elements", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportOfAnUnknownLayer_IsBadInputListingTheNodes()
    {
        using var dir = new TempFolder();
        var r = CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", "/no/such", "--out", dir.Path);
        Assert.Equal(2, r.Exit);
        Assert.Contains("no node '/no/such'", r.Err, StringComparison.Ordinal);
        Assert.Contains($"'{Conv}'", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void HexWords_PackInt4LowNibbleFirst()
    {
        TensorValue value = TensorValue.Create(DataType.Int4, [3], new sbyte[] { 1, -2, 7 });
        string text = System.Text.Encoding.ASCII.GetString(VectorCodec.Encode(value, VectorFormat.Hex, 8));
        // Byte 0 = element 0 in the low nibble (1) and element 1 in the high nibble (-2 = 0xe); byte 1 = element 2, padded.
        Assert.Equal("e1\n07\n", text);
    }

    [Fact]
    public void HexWords_WiderThanAnElement_HoldSeveralLittleEndian()
    {
        TensorValue value = TensorValue.Create(DataType.Int8, [5], new sbyte[] { 1, 2, 3, -1, 5 });
        string text = System.Text.Encoding.ASCII.GetString(VectorCodec.Encode(value, VectorFormat.Hex, 32));
        Assert.Equal("ff030201\n00000005\n", text);
        (TensorValue? back, string? problem) = VectorCodec.Decode(System.Text.Encoding.ASCII.GetBytes(text), VectorFormat.Hex, DataType.Int8, [5], 32);
        Assert.Null(problem);
        Assert.Equal(value.Items<sbyte>(), back!.Items<sbyte>());
    }

    [Fact]
    public void Crc32_IsZlibs()
    {
        // The CRC-32 check value of the nine ASCII digits (Rocksoft model "CRC-32").
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    private static TensorValue Codes(DataType type, int[] shape, int seed)
    {
        var random = new Random(seed);
        int count = shape.Aggregate(1, (p, d) => p * d);
        (int lo, int hi) = type switch
        {
            DataType.Int8 => (-128, 127),
            DataType.Int4 => (-8, 7),
            DataType.Float4E2M1 => (0, 15),
            DataType.Int32 => (int.MinValue, int.MaxValue),
            _ => (0, 255),
        };
        int[] codes = [.. Enumerable.Range(0, count).Select(_ => random.Next(lo, hi))];
        codes[17] &= ~1; // the flipped bit starts at 0 (for 4-bit: bit 4 of byte 8, the high nibble, element 17)
        return LayerVectorBuilder.Codes(type, shape, codes);
    }

    private static void WriteFolder(string dir, TensorValue value, string format)
    {
        Directory.CreateDirectory(dir);
        var layer = new LayerVectors("layer", "Test", [new VectorTensor("output", VectorRole.Output, value, ["n", "c", "w"], "row-major")]);
        VectorFolder.Write(dir, [layer], VectorFolder.ParseFormat(format, "test"), null, VectorsCommandHeader());
    }

    private static VectorManifest VectorsCommandHeader() => new()
    {
        Model = "test",
        Config = "test",
        Dataflow = "ws",
        ArrayRows = 1,
        ArrayCols = 1,
        Numerics = "test",
        Format = "npy",
        Files = [],
    };

    // Flips bit bitIndex of the tensor's byte stream in the file, whatever its format.
    private static void FlipBit(string dir, string format, int bitIndex, string file, int elementBits)
    {
        VectorManifest manifest = VectorFolder.ReadManifest(dir)!;
        VectorFileEntry entry = manifest.Files.Single();
        TensorValue value = VectorFolder.ReadTensor(dir, entry, VectorFolder.ParseFormat(format, "test"))!;
        byte[] raw = VectorCodec.ToBytes(value);
        raw[bitIndex / 8] ^= (byte)(1 << (bitIndex % 8));
        TensorValue changed = VectorCodec.FromBytes(raw, value.Type, [.. value.Shape])!;
        File.WriteAllBytes(file, VectorCodec.Encode(changed, VectorFolder.ParseFormat(format, "test"), entry.WordBits));
        Assert.True(elementBits > 0);
    }
}
