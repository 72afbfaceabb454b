namespace SiliconSim.Config.Tests;

/// <summary>Small config texts for the tests; line numbers matter, so each starts at line 1.</summary>
internal static class Yamls
{
    /// <summary>A valid config with three per-role buffers. Buffer 1 (weights) starts at line 14.</summary>
    public const string Valid = """
        clock_mhz: 500
        array:
          rows: 16
          cols: 8
          dataflow: os
        memory:
          buffers:
            - name: in
              role: input
              capacity_kib: 64
              word_bytes: 16
              bytes_per_cycle: 16
            - name: w
              role: weight
              capacity_kib: 32
              bytes_per_cycle: 8
            - name: out
              role: output
              capacity_kib: 16
              bytes_per_cycle: 32
          dram:
            bandwidth_gbps: 8
        """;

    /// <summary><see cref="Valid"/> with one line (1-based) replaced.</summary>
    public static string ValidWith(int line, string replacement)
    {
        string[] lines = Valid.Split('\n');
        lines[line - 1] = replacement;
        return string.Join('\n', lines);
    }
}
