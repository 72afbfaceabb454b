namespace SiliconSim.Cli.Tests;

/// <summary>
/// `--threads N` on the commands that execute a model: a count below 1 or not a whole number is one line naming the
/// option and exit 2; a valid count changes nothing in what the command prints.
/// </summary>
public sealed class ThreadsOptionTests
{
    private static readonly string s_case = Path.Combine(SharedData.Digits, "digits_cnn_qdq_s8s8_channel");

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("two")]
    [InlineData("1.5")]
    public void Validate_BadThreads_IsOneLineBadInput(string threads)
    {
        var (exit, _, stderr) = CliRunner.Run("validate", s_case, "--threads", threads);
        Assert.Equal(2, exit);
        Assert.Equal($"siliconsim: error: --threads: must be a whole number of at least 1, got '{threads}'", stderr.Trim());
    }

    [Fact]
    public void Run_BadThreads_IsOneLineBadInput()
    {
        var (exit, _, stderr) = CliRunner.Run("run", "--model", s_case, "--threads", "0");
        Assert.Equal(2, exit);
        Assert.Equal("siliconsim: error: --threads: must be a whole number of at least 1, got '0'", stderr.Trim());
    }

    [Fact]
    public void Compare_BadThreads_IsOneLineBadInput()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("compare", "--model", Path.Combine(SharedData.Digits, "digits_mlp_fp32", "model.onnx"),
            "--calib", Path.Combine(SharedData.Digits, "digits_calib_x.npy"), "--test", Path.Combine(SharedData.Digits, "digits_test_x.npy"),
            "--labels", Path.Combine(SharedData.Digits, "digits_test_y.npy"), "--out", dir.Path, "--threads", "x");
        Assert.Equal(2, exit);
        Assert.Equal("siliconsim: error: --threads: must be a whole number of at least 1, got 'x'", stderr.Trim());
    }

    [Fact]
    public void VectorsExport_BadThreads_IsOneLineBadInput()
    {
        using var dir = new TempFolder();
        var (exit, _, stderr) = CliRunner.Run("vectors", "export", "--model", s_case, "--layers", "all", "--out", dir.Path, "--threads", "0");
        Assert.Equal(2, exit);
        Assert.Equal("siliconsim: error: --threads: must be a whole number of at least 1, got '0'", stderr.Trim());
    }

    [Fact]
    public void Validate_OneThreadAndThree_PrintTheSame()
    {
        // The case passes bit for bit against ORT's golden on any count; the report is the same text.
        var one = CliRunner.Run("validate", s_case, "--threads", "1");
        var three = CliRunner.Run("validate", s_case, "--threads", "3");
        Assert.Equal(0, one.Exit);
        Assert.Equal(one, three);
    }
}
