using System.Diagnostics;
using System.Text.RegularExpressions;
using SiliconSim.TestSupport;

namespace SiliconSim.Cli.Tests.Vectors;

public sealed partial class CoSimulationTests
{
    private const string Conv = "/f/f.0/Conv";
    private static readonly string s_digits = Path.Combine(Repository.Root, "workloads", "digits", "digits_cnn_qdq_s8s8_channel");

    [Fact]
    public void WrongKernel_ChangesDriftAndTop1Agreement()
    {
        using var dir = new TempFolder();
        string golden = Path.Combine(dir.Path, "golden");
        Assert.Equal(0, CliRunner.Run("vectors", "export", "--model", s_digits, "--layers", Conv, "--format", "hex", "--out", golden).Exit);
        string output = Path.Combine(golden, "f_f.0_Conv", "output.hex");
        // A kernel returning exactly SiliconSim's outputs, and one returning every code with bits 0, 2, 4
        // and 6 flipped. Milder defects (every code off by one, or halved) move the logits but not one top-1 answer.
        string right = $"f() {{ cp '{output}' \"$1/output.hex\"; }}; f";
        string wrong = $"f() {{ while read -r w; do printf '%02x\\n' $(( 0x$w ^ 0x55 )); done < '{output}' > \"$1/output.hex\"; }}; f";

        var good = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", Path.Combine(dir.Path, "good"), "--kernel", $"{Conv}={right}");
        var bad = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", Path.Combine(dir.Path, "bad"), "--kernel", $"{Conv}={wrong}");

        Assert.True(good.Exit == 0, good.Out + good.Err);
        Assert.Contains($"match     {Conv} output: 368640 elements", good.Out, StringComparison.Ordinal);
        Assert.Contains("end-to-end output: 0 of 3600 elements differ from the golden", good.Out, StringComparison.Ordinal);
        Assert.Equal(360, Top1(good.Out));

        Assert.Equal(1, bad.Exit);
        Assert.Contains($"MISMATCH  {Conv} output:", bad.Out, StringComparison.Ordinal);
        Assert.Matches(@"at \(n=\d+, c=\d+, h=\d+, w=\d+\): golden \d+, actual \d+ \(diff [+-]\d+\)", bad.Out);
        Assert.DoesNotContain("end-to-end output: 0 of", bad.Out, StringComparison.Ordinal);
        Assert.True(Top1(bad.Out) < 360, bad.Out);
    }

    [Fact]
    public void FailingKernel_IsAnErrorWithItsExitCodeAndOutputTail()
    {
        using var dir = new TempFolder();
        var r = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", dir.Path, "--kernel", $"{Conv}=echo compile error in mac_pe; exit 7;");
        Assert.Equal(2, r.Exit);
        Assert.Contains("exited with code 7", r.Err, StringComparison.Ordinal);
        Assert.Contains("compile error in mac_pe", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void HangingKernel_IsStoppedAtTheTimeout()
    {
        using var dir = new TempFolder();
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", dir.Path, "--kernel-timeout-s", "1", "--kernel", $"{Conv}=sleep 120;");
        Assert.Equal(2, r.Exit);
        Assert.Contains("did not finish within 1 s", r.Err, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(100), "the kernel was not stopped");
    }

    [Fact]
    public void KernelForAnUnknownLayer_IsBadInput()
    {
        using var dir = new TempFolder();
        var r = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", dir.Path, "--kernel", "/nope=true");
        Assert.Equal(2, r.Exit);
        Assert.Contains("no node '/nope'", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateWithAWrongKernel_FailsTheCaseAndReportsTheKernel()
    {
        var r = CliRunner.Run("validate", s_digits, "--kernel", $"{Conv}=f() {{ yes 00 | head -n 368640 > \"$1/output.hex\"; }}; f");
        Assert.Equal(1, r.Exit);
        Assert.Contains($"MISMATCH  {Conv} output:", r.Out, StringComparison.Ordinal);
        Assert.Contains("0 passed, 1 failed", r.Out, StringComparison.Ordinal);
    }

    [IverilogFact]
    public void RtlExample_MatchesEveryBit_AndItsFaultyVariantDoesNot()
    {
        (int exit, string output) = RunScript();
        Assert.True(exit == 0, output);
        Assert.Contains($"match     {Conv} accumulators: 368640 elements", output, StringComparison.Ordinal);

        (int faultyExit, string faulty) = RunScript("--faulty");
        Assert.True(faultyExit == 1, faulty);
        Assert.Contains($"MISMATCH  {Conv} accumulators:", faulty, StringComparison.Ordinal);
        Assert.Contains("(diff -65536)", faulty, StringComparison.Ordinal);
        Assert.True(Top1(faulty) < 360, faulty);
    }

    /// <summary>The narrowed RTL is not wrong for every design: SiliconSim's model of a 16-bit wrapping accumulator
    /// predicts its every bit.</summary>
    [IverilogFact]
    public void NarrowedRtl_MatchesSiliconSimsSixteenBitAccumulatorModel()
    {
        using var dir = new TempFolder();
        string rtl = Path.Combine(Repository.Root, "examples", "rtl"), compiled = Path.Combine(dir.Path, "tb16.vvp");
        using (var iverilog = Process.Start("iverilog", ["-g2012", "-o", compiled, "-P", "testbench.ACC_BITS=16", Path.Combine(rtl, "mac_array.v"), Path.Combine(rtl, "testbench.v")]))
        {
            Assert.True(iverilog.WaitForExit(TimeSpan.FromMinutes(2)) && iverilog.ExitCode == 0, "iverilog failed");
        }

        var r = CliRunner.Run("run", "--model", s_digits, "--thermal-seconds", "0", "--out", Path.Combine(dir.Path, "out"), "--set", "array.accumulator_bits=16", "--kernel", $"{Conv}=TESTBENCH='{compiled}' sh '{Path.Combine(rtl, "kernel.sh")}'");

        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains($"match     {Conv} accumulators: 368640 elements", r.Out, StringComparison.Ordinal);
        Assert.True(Top1(r.Out) < 360, r.Out); // the whole network on 16-bit accumulators drifts from the golden
    }

    private static int Top1(string text) => int.Parse(Top1Regex().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"top-1 agreement (\d+)/360")]
    private static partial Regex Top1Regex();

    private static (int Exit, string Output) RunScript(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "examples", "rtl", "run.sh"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        // The CLI this test project built, not a second build by dotnet run.
        start.Environment["SILICONSIM"] = $"dotnet {typeof(CliApp).Assembly.Location}";
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "run.sh did not finish in 10 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
