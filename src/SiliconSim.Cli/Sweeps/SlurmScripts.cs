using System.Globalization;
using System.Text;

namespace SiliconSim.Cli.Sweeps;

/// <summary>
/// The two batch scripts of a Slurm sweep, as text: a job array whose task I runs shard I of N (one siliconsim
/// process, <c>--jobs</c> its CPU count, a log per task), and a merge job (one CPU) that the submitter makes depend on
/// the whole array ending in any state, so a failed task still gets its missing points listed. Every path is absolute:
/// the scripts run on compute nodes, from whatever directory Slurm starts them in.
/// </summary>
internal sealed record SlurmScripts(IReadOnlyList<string> Self, string SpecPath, string OutDir, int Shards, IReadOnlyList<int> Tasks, int CpusPerTask, string? Partition, string? TimeLimit)
{
    public string LogFolder => Path.Combine(OutDir, "slurm", "logs");

    /// <summary>The array script.</summary>
    public string Array()
    {
        var sb = Header($"siliconsim-{Name}", $"task-%A_%a.log", CpusPerTask);
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={Ranges(Tasks)}\n");
        sb.Append("set -eu\n");
        sb.Append(CultureInfo.InvariantCulture, $"exec {Command("sweep", SpecPath, "--out", OutDir)} --shard \"${{SLURM_ARRAY_TASK_ID}}/{Shards}\" --jobs \"${{SLURM_CPUS_PER_TASK:-{CpusPerTask}}}\"\n");
        return sb.ToString();
    }

    /// <summary>The merge script.</summary>
    public string Merge()
    {
        var sb = Header($"siliconsim-{Name}-merge", "merge-%j.log", 1);
        sb.Append("set -eu\n");
        sb.Append(CultureInfo.InvariantCulture, $"exec {Command("sweep", "merge", OutDir)}\n");
        return sb.ToString();
    }

    /// <summary>Shard indices as Slurm's array syntax: runs of consecutive ones as A-B, joined by commas.</summary>
    public static string Ranges(IReadOnlyList<int> tasks)
    {
        var parts = new List<string>();
        for (int i = 0; i < tasks.Count;)
        {
            int j = i;
            while (j + 1 < tasks.Count && tasks[j + 1] == tasks[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? tasks[i].ToString(CultureInfo.InvariantCulture) : $"{tasks[i]}-{tasks[j]}");
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    /// <summary><paramref name="text"/> as one POSIX shell word.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Name => Path.GetFileNameWithoutExtension(SpecPath);

    private string Command(params string[] args) => string.Join(' ', Self.Concat(args).Select(Quote));

    private StringBuilder Header(string job, string log, int cpus)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"# Written by `siliconsim sweep submit` for {SpecPath}; the sweep folder must be on a filesystem every node shares.\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={job}\n");
        sb.Append("#SBATCH --ntasks=1\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={cpus}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(LogFolder, log)}\n");
        if (Partition is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={Partition}\n");
        }

        if (TimeLimit is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={TimeLimit}\n");
        }

        return sb;
    }
}
