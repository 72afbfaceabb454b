using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using SiliconSim.Config.Sweeps;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// The resumable store of a sweep's finished points: one <c>points/&lt;key&gt;.json</c> per point, written atomically
/// (temp file, then rename) with a <c>complete</c> flag last, so a killed sweep leaves either no file or a whole one and a
/// rerun skips every stored point.
/// </summary>
internal sealed class PointStore(string outDir, string version)
{
    public string Folder { get; } = Path.Combine(outDir, "points");

    private string FileOf(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>The stored outcome under <paramref name="key"/>, or null when there is none or it is incomplete.</summary>
    public PointRecord? TryRead(string key)
    {
        string path = FileOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("complete", out var complete) || complete.ValueKind != JsonValueKind.True)
            {
                return null;
            }

            var metrics = ImmutableDictionary.CreateBuilder<string, double?>(StringComparer.Ordinal);
            foreach (JsonProperty m in root.GetProperty("metrics").EnumerateObject())
            {
                metrics[m.Name] = m.Value.ValueKind == JsonValueKind.Number ? m.Value.GetDouble() : null;
            }

            return new PointRecord(
                root.GetProperty("key").GetString()!,
                root.GetProperty("status").GetString()!,
                root.TryGetProperty("reason", out var r) ? r.GetString() : null,
                metrics.ToImmutable());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="record"/> of <paramref name="point"/> (axis values under <paramref name="axes"/>).</summary>
    public void Store(SweepPoint point, ImmutableArray<string> axes, string modelSha256, ImmutableArray<string> metricColumns, PointRecord record)
    {
        Directory.CreateDirectory(Folder);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("key", record.Key);
            json.WriteString("tool_version", version);
            json.WriteString("model", point.Model);
            json.WriteString("model_sha256", modelSha256);
            json.WriteStartObject("values");
            for (int k = 0; k < axes.Length; k++)
            {
                json.WriteString(axes[k], point.Values[k]);
            }

            json.WriteEndObject();
            json.WriteString("status", record.Status);
            if (record.Reason is not null)
            {
                json.WriteString("reason", record.Reason);
            }

            json.WriteStartObject("metrics");
            foreach (string column in metricColumns.Where(record.Metrics.ContainsKey))
            {
                if (record.Metrics[column] is double v && double.IsFinite(v))
                {
                    json.WriteNumber(column, v);
                }
                else
                {
                    json.WriteNull(column);
                }
            }

            json.WriteEndObject();
            json.WriteString("config_yaml", point.ConfigYaml);

            // Written last: a reader treats a file without it as incomplete.
            json.WriteBoolean("complete", true);
            json.WriteEndObject();
        }

        // Temp file then atomic rename: a killed sweep leaves either no file or a complete one. The temp name is unique
        // to this host, process and thread, so shards on other machines sharing the folder never write the same temp
        // file; two that store the same point rename the same bytes over each other (a point's outcome is deterministic).
        string final = FileOf(record.Key);
        string temp = $"{final}.{Environment.MachineName}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture)}.tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        File.Move(temp, final, overwrite: true);
    }
}
