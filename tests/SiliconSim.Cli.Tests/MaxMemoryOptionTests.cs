namespace SiliconSim.Cli.Tests;

/// <summary>
/// `--max-memory-gib` bounds every command that executes a model, not only `run`: a budget smaller than the digits
/// MLP's 92,160-byte activations stops validate (a failed case, exit 1), sweep and compare (bad input, exit 2) with the
/// node, the size and the budget, before the sweep schedules a single point.
/// </summary>
public sealed class MaxMemoryOptionTests
{
    private const string Over = "node '/n/n.0/Flatten' (Flatten): output float[360,64] needs 92160 B, over the per-tensor memory budget of 2684 B (--max-memory-gib raises it)";

    private static readonly string s_case = Path.Combine(SharedData.Digits, "digits_mlp_qdq_u8s8_tensor");

    [Fact]
    public void Validate_BudgetTooSmall_FailsTheCaseNamingTheNode()
    {
        var (exit, stdout, _) = CliRunner.Run("validate", s_case, "--max-memory-gib", "0.00001");
        Assert.Equal(1, exit);
        Assert.Contains($"ERROR digits_mlp_qdq_u8s8_tensor  {Over}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_BudgetTooSmall_IsBadInputBeforeAnyPointRuns()
    {
        using var dir = new TempFolder();
        string spec = dir.File("sweep.yaml", System.Text.Encoding.UTF8.GetBytes($"base: edge-npu\nmodels: [{s_case}]\nthermal_seconds: 0\n"));
        string outDir = Path.Combine(dir.Path, "out");
        var (exit, _, stderr) = CliRunner.Run("sweep", spec, "--out", outDir, "--max-memory-gib", "0.00001");
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {Path.Combine(s_case, "model.onnx")}: {Over}", stderr.Trim());
        Assert.False(Directory.Exists(Path.Combine(outDir, "points")));
    }

    [Fact]
    public void Compare_BudgetTooSmall_IsBadInputNamingTheModel()
    {
        using var dir = new TempFolder();
        string model = Path.Combine(SharedData.Digits, "digits_mlp_fp32", "model.onnx");
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", model, "--calib", Path.Combine(SharedData.Digits, "digits_calib_x.npy"),
            "--test", Path.Combine(SharedData.Digits, "digits_test_x.npy"), "--labels", Path.Combine(SharedData.Digits, "digits_test_y.npy"),
            "--formats", "int8", "--out", dir.Path, "--max-memory-gib", "0.00001");
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: {model}: {Over}", stderr.Trim());
    }
}
