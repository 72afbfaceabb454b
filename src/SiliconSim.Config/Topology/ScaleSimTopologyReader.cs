using System.Collections.Immutable;
using System.Globalization;
using SiliconSim.Numerics;
using SiliconSim.Numerics.Kernels;
using SiliconSim.Simulation.Layers;
using SiliconSim.Simulation.Mapping;

namespace SiliconSim.Config.Topology;

/// <summary>
/// Reads SCALE-Sim v2 topology CSVs into <see cref="MatrixLayer"/>s, with SCALE-Sim's semantics
/// (scalesim/topology_utils.py):
/// <list type="bullet">
/// <item>The first line is a header and is skipped; blank lines are skipped; a trailing comma ends a row.</item>
/// <item>Conv rows have no padding and SCALE-Sim's output size: ofmap = ceil((ifmap - filter + stride) / stride) per dim
/// (one more than the floor rule when the stride does not divide ifmap - filter; the overhanging last window reads
/// only end padding); one stride value is used for both dims unless a ninth column gives the width's. GEMM view: M = ofmap pixels, N = filters, K = filter height x
/// width x channels.</item>
/// <item>A conv row whose name contains <c>DP</c> is depthwise: SCALE-Sim runs it as one layer per channel, each with one
/// input channel and all the row's filters; here that is <see cref="MatrixLayer.Groups"/> = channels.</item>
/// <item>GEMM rows <c>name, M, N, K</c> become SCALE-Sim's conv with ifmap M x K, a 1 x K filter, one channel and N
/// filters, i.e. the GEMM (M, N, K).</item>
/// </list>
/// Tolerated as in SCALE-Sim's own files: a field starting with <c>#</c> comments out the rest of the row
/// (mobilnet_paper.csv), and extra columns the header names are ignored (Resnet50.csv's Eh, Ew, e2). Every problem is
/// reported, each as <c>file:line:column: message</c>, in one <see cref="FormatException"/>.
/// </summary>
public static class ScaleSimTopologyReader
{
    /// <summary>
    /// The largest value of any field: 2^20 keeps every product the reader forms (ifmap H x W x C, filter elements,
    /// M x N x K MACs) far inside 64 bits and every spatial size inside 32, while the largest dimension in SCALE-Sim's
    /// own topologies (a GPT vocabulary of about 50k) is well below it.
    /// </summary>
    public const long MaxDimension = 1L << 20;

    /// <summary>The most MACs one layer may take: 2^48 (about 2.8e14, a thousand times ResNet-50's whole network)
    /// leaves headroom for cycles, bytes and energy counts that multiply it by small factors.</summary>
    private const double MaxWork = 1L << 48;

    /// <summary>Parses a topology from <paramref name="text"/>; <paramref name="fileName"/> names it in messages.</summary>
    /// <param name="text">The CSV text.</param>
    /// <param name="fileName">The file the text came from, for messages.</param>
    /// <param name="format">Conv or GEMM rows; <see cref="ScaleSimTopologyFormat.Auto"/> decides from the header.</param>
    /// <param name="inputType">Element type of ifmaps (SCALE-Sim has one word size; uint8 activations by default).</param>
    /// <param name="weightType">Element type of filters.</param>
    /// <param name="outputType">Element type of ofmaps.</param>
    /// <exception cref="FormatException">one or more rows are malformed; the message lists each with its location.</exception>
    public static ImmutableArray<MatrixLayer> Parse(
        string text,
        string fileName,
        ScaleSimTopologyFormat format = ScaleSimTopologyFormat.Auto,
        DataType inputType = DataType.UInt8,
        DataType weightType = DataType.Int8,
        DataType outputType = DataType.UInt8)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        string[] lines = text.Split('\n');
        var errors = new List<string>();
        var layers = ImmutableArray.CreateBuilder<MatrixLayer>();
        var types = new Types(inputType, weightType, outputType);
        int header = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (header < 0)
        {
            throw new FormatException($"{fileName}:1:1: the topology is empty (expected a header line, then one row per layer)");
        }

        List<Field> headerFields = Fields(lines[header]);
        if (format == ScaleSimTopologyFormat.Auto)
        {
            format = headerFields.Count > 1 && headerFields[1].Text.Equals("M", StringComparison.OrdinalIgnoreCase)
                ? ScaleSimTopologyFormat.Gemm : ScaleSimTopologyFormat.Conv;
        }

        int required = format == ScaleSimTopologyFormat.Gemm ? 4 : 8;
        int allowed = Math.Max(format == ScaleSimTopologyFormat.Gemm ? 4 : 9, headerFields.Count);
        for (int li = header + 1; li < lines.Length; li++)
        {
            var row = new Row(fileName, li + 1, Fields(lines[li]), errors);
            if (row.Fields.All(f => f.Text.Length == 0))
            {
                continue;
            }

            if (row.Fields.Count < required || row.Fields.Skip(allowed).Any(f => f.Text.Length > 0))
            {
                string expected = format == ScaleSimTopologyFormat.Gemm ? "name, M, N, K" : "name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides[, Stride Width]";
                row.Error(row.Fields.Count < required ? row.Fields[^1] : row.Fields[allowed], $"expected {expected}; the row has {row.Fields.Count(f => f.Text.Length > 0)} fields");
                continue;
            }

            string name = row.Fields[0].Text;
            if (name.Length == 0)
            {
                row.Error(row.Fields[0], "the layer name is empty");
                continue;
            }

            MatrixLayer? layer = format == ScaleSimTopologyFormat.Gemm ? GemmRow(row, name, types) : ConvRow(row, name, types);
            if (layer is not null)
            {
                layers.Add(layer);
            }
        }

        if (errors.Count > 0)
        {
            throw new FormatException(string.Join(Environment.NewLine, errors));
        }

        if (layers.Count == 0)
        {
            // No layer means no work: a rate over zero cycles would print "Infinity inferences/s".
            throw new FormatException($"{fileName}:{header + 1}:1: the topology has a header but no layer rows");
        }

        return layers.ToImmutable();
    }

    private static MatrixLayer? GemmRow(Row row, string name, Types t)
    {
        long? m = row.Positive(1, "M"), n = row.Positive(2, "N"), k = row.Positive(3, "K");
        if (m is null || n is null || k is null || !row.Within(row.Fields[0], "M x N x K", (double)m.Value * n.Value * k.Value))
        {
            return null;
        }

        return new MatrixLayer
        {
            Name = name,
            OpType = "Gemm",
            Gemm = new GemmShape(m.Value, n.Value, k.Value),
            InputType = t.Input,
            WeightType = t.Weight,
            OutputType = t.Output,
            InputBytes = StorageBytes.Of(t.Input, m.Value * k.Value),
            WeightBytes = StorageBytes.Of(t.Weight, k.Value * n.Value),
            OutputBytes = StorageBytes.Of(t.Output, m.Value * n.Value),
        };
    }

    private static MatrixLayer? ConvRow(Row row, string name, Types t)
    {
        long? h = row.Positive(1, "IFMAP Height"), w = row.Positive(2, "IFMAP Width");
        long? fh = row.Positive(3, "Filter Height"), fw = row.Positive(4, "Filter Width");
        long? ch = row.Positive(5, "Channels"), nf = row.Positive(6, "Num Filter"), sh = row.Positive(7, "Strides");
        long? sw = row.Fields.Count > 8 && row.Fields[8].Text.Length > 0 ? row.Positive(8, "Stride Width") : sh;
        if (h is null || w is null || fh is null || fw is null || ch is null || nf is null || sh is null || sw is null)
        {
            return null;
        }

        // topology_utils.append_topo_arrays asserts the same (its ISSUE #9 fix).
        bool ok = true;
        if (fh > h)
        {
            row.Error(row.Fields[3], $"Filter Height {fh} is larger than IFMAP Height {h}");
            ok = false;
        }

        if (fw > w)
        {
            row.Error(row.Fields[4], $"Filter Width {fw} is larger than IFMAP Width {w}");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        // SCALE-Sim's output size (topology_utils.calc_spatio_temporal_params): E = ceil((H - R + S) / S), one more than the
        // floor rule whenever the stride does not divide H - R. The last window then runs past the ifmap's edge; here that
        // overhang is end padding (never fetched), so the geometry stays exact: (H + pad - R) / S + 1 = E.
        int oh = (int)OutputSize(h.Value, fh.Value, sh.Value), ow = (int)OutputSize(w.Value, fw.Value, sw.Value);
        int padH = (int)(((oh - 1) * sh.Value) + fh.Value - h.Value), padW = (int)(((ow - 1) * sw.Value) + fw.Value - w.Value);

        // SCALE-Sim's depthwise convention: a name containing "DP" (case-sensitive, as its `'DP' in name`) runs per channel.
        bool depthwise = name.Contains("DP", StringComparison.Ordinal);
        int groups = depthwise ? (int)ch.Value : 1;
        long perGroupChannels = depthwise ? 1 : ch.Value;
        long outChannels = depthwise ? nf.Value * ch.Value : nf.Value;
        if (outChannels > MaxDimension)
        {
            row.Error(row.Fields[6], $"a depthwise row's Num Filter x Channels is {outChannels}, more than {MaxDimension} (2^20)");
            return null;
        }

        if (!row.Within(row.Fields[0], "the layer's MACs (ofmap pixels x filters x filter elements x channels)", (double)oh * ow * nf.Value * fh.Value * fw.Value * ch.Value))
        {
            return null;
        }
        var geometry = new ConvGeometry(
            Batch: 1,
            InChannels: (int)ch.Value,
            OutChannels: (int)outChannels,
            Group: groups,
            InSpatial: [(int)h.Value, (int)w.Value],
            KernelSpatial: [(int)fh.Value, (int)fw.Value],
            OutSpatial: [oh, ow],
            Strides: [(int)sh.Value, (int)sw.Value],
            Dilations: [1, 1],
            PadsBegin: [0, 0],
            PadsEnd: [padH, padW]);
        return new MatrixLayer
        {
            Name = name,
            OpType = "Conv",
            Gemm = new GemmShape((long)oh * ow, nf.Value, fh.Value * fw.Value * perGroupChannels),
            Groups = groups,
            InputType = t.Input,
            WeightType = t.Weight,
            OutputType = t.Output,
            InputBytes = StorageBytes.Of(t.Input, h.Value * w.Value * ch.Value),
            WeightBytes = StorageBytes.Of(t.Weight, fh.Value * fw.Value * perGroupChannels * nf.Value * groups),
            OutputBytes = StorageBytes.Of(t.Output, (long)oh * ow * outChannels),
            Conv = geometry,
        };
    }

    /// <summary>SCALE-Sim's ofmap size along one dim: ceil((ifmap - filter + stride) / stride), for filter &lt;= ifmap.</summary>
    public static long OutputSize(long ifmap, long filter, long stride) => (ifmap - filter + stride + stride - 1) / stride;

    /// <summary>Splits a line at commas, keeping each field's 1-based column; a field starting with # ends the row, and one
    /// trailing empty field (SCALE-Sim's row-ending comma) is dropped.</summary>
    private static List<Field> Fields(string line)
    {
        var fields = new List<Field>();
        int start = 0;
        line = line.TrimEnd('\r');
        while (true)
        {
            int comma = line.IndexOf(',', start);
            string raw = comma < 0 ? line[start..] : line[start..comma];
            string trimmed = raw.Trim();
            if (trimmed.StartsWith('#'))
            {
                break;
            }

            int lead = raw.Length - raw.TrimStart().Length;
            fields.Add(new Field(trimmed, start + lead + 1));
            if (comma < 0)
            {
                break;
            }

            start = comma + 1;
        }

        if (fields.Count > 1 && fields[^1].Text.Length == 0)
        {
            fields.RemoveAt(fields.Count - 1);
        }

        return fields;
    }

    private readonly record struct Field(string Text, int Column);

    private readonly record struct Types(DataType Input, DataType Weight, DataType Output);

    private sealed record Row(string File, int Line, List<Field> Fields, List<string> Errors)
    {
        public void Error(Field field, string message) => Errors.Add($"{File}:{Line}:{field.Column}: {message}");

        /// <summary>
        /// Whether a product of the row's fields stays within <see cref="MaxWork"/>; each field alone is bounded, but a
        /// layer of 2^20 on every side would overflow the cycle and energy counts downstream.
        /// </summary>
        public bool Within(Field at, string what, double product)
        {
            if (product > MaxWork)
            {
                Error(at, $"{what} come to {product:0.###e0}, more than 2^48");
                return false;
            }

            return true;
        }

        public long? Positive(int index, string name)
        {
            Field f = Fields[index];
            if (!long.TryParse(f.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v <= 0)
            {
                Error(f, $"field '{name}' must be a positive integer, got '{f.Text}'");
                return null;
            }

            if (v > MaxDimension)
            {
                Error(f, $"field '{name}' is {v}, more than {MaxDimension} (2^20), the largest dimension a topology row may give");
                return null;
            }

            return v;
        }
    }
}
