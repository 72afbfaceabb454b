using SiliconSim.Reporting.Json;
using SiliconSim.Simulation.Memory;
using SiliconSim.Simulation.Results;

namespace SiliconSim.Reporting.Tests;

public sealed class RunReportJsonTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WriteRead_RoundTripsEveryField(int seed)
    {
        RunReport original = ReportFixtures.Seeded(seed);
        RunReport read = RoundTrip(original);

        // Records holding ImmutableArrays compare arrays by reference, so compare element-wise.
        Assert.Equal(original with { Result = read.Result, Outputs = read.Outputs }, read);
        Assert.Equal(original.Outputs.ToArray(), read.Outputs.ToArray());
        Assert.Equal(original.Result with { Layers = read.Result.Layers }, read.Result);
        Assert.Equal(original.Result.Layers.Length, read.Result.Layers.Length);
        for (int i = 0; i < original.Result.Layers.Length; i++)
        {
            LayerResult a = original.Result.Layers[i], b = read.Result.Layers[i];
            Assert.Equal(a with { Buffers = b.Buffers }, b);
            Assert.Equal(a.Buffers.Length, b.Buffers.Length);
            for (int k = 0; k < a.Buffers.Length; k++)
            {
                BufferCounters x = a.Buffers[k], y = b.Buffers[k];
                Assert.Equal(x.Operands.ToArray(), y.Operands.ToArray());
                Assert.Equal(x with { Operands = y.Operands }, y);
            }
        }
    }

    [Fact]
    public void WriteRead_KeepsTheEnergyAndThermalSections_ForReportToRedrawTheirCharts()
    {
        var energy = new Charts.EnergyBreakdown(["MAC", "DRAM"], [new Charts.LayerEnergy("conv", [1.5, 2.25]), new Charts.LayerEnergy("fc", [0.125, 0])]);
        var thermal = new Charts.ThermalTrace([0, 0.5, 1], [1.25, 1.5, 1.5], [45, 60.5, 70.25], 95, [new Charts.ThrottleEvent(0.5, "throttle to step 1")]);
        RunReport original = ReportFixtures.Seeded(4) with { Extras = new ReportExtras { Energy = energy, Thermal = thermal } };
        RunReport read = RoundTrip(original);

        Assert.Equal(energy.Components, read.Extras.Energy!.Components);
        Assert.Equal(energy.Layers.Select(l => (l.Layer, string.Join(',', l.ComponentPj))), read.Extras.Energy.Layers.Select(l => (l.Layer, string.Join(',', l.ComponentPj))));
        Assert.Equal(thermal.JunctionCelsius, read.Extras.Thermal!.JunctionCelsius);
        Assert.Equal(thermal.TimeSeconds, read.Extras.Thermal.TimeSeconds);
        Assert.Equal(thermal.PowerWatts, read.Extras.Thermal.PowerWatts);
        Assert.Equal(95, read.Extras.Thermal.LimitCelsius);
        Assert.Equal(thermal.Throttles, read.Extras.Thermal.Throttles);
        Assert.Equal(Bytes(original), Bytes(read));
    }

    [Fact]
    public void WriteRead_KeepsConfigOverridesAndTheMaxJunction()
    {
        var thermal = new Charts.ThermalTrace([0, 1], [1, 1], [85, 90], 95, []) { MaxJunctionCelsius = 105 };
        RunReport original = ReportFixtures.Seeded(3) with { ConfigOverrides = ["thermal.ambient_c=85", "array.rows=16"], Extras = new ReportExtras { Thermal = thermal } };
        RunReport read = RoundTrip(original);

        Assert.Equal(["thermal.ambient_c=85", "array.rows=16"], read.ConfigOverrides.ToArray());
        Assert.Equal(105, read.Extras.Thermal!.MaxJunctionCelsius);
        Assert.Empty(RoundTrip(ReportFixtures.Seeded(3)).ConfigOverrides);
        Assert.Null(RoundTrip(ReportFixtures.Seeded(3) with { Extras = new ReportExtras { Thermal = thermal with { MaxJunctionCelsius = null } } }).Extras.Thermal!.MaxJunctionCelsius);
    }

    [Fact]
    public void WriteReadWrite_IsByteIdentical()
    {
        RunReport original = ReportFixtures.Seeded(9);
        byte[] first = Bytes(original);
        Assert.Equal(first, Bytes(RoundTrip(original)));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "object")]
    [InlineData("{\"schema\":\"siliconsim.run/2\"}", "siliconsim.run/2")]
    [InlineData("{\"schema\":\"siliconsim.run/1\"}", "missing key 'config'")]
    public void Read_Malformed_ThrowsNamingTheProblem(string json, string expected)
    {
        var e = Assert.Throws<RunReportFormatException>(() => RunReportReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongTypeForACycleCount_ThrowsNamingTheKey()
    {
        string json = System.Text.Encoding.UTF8.GetString(Bytes(ReportFixtures.Seeded(1)));
        int at = json.IndexOf("\"compute_cycles\": ", json.IndexOf("\"layers\"", StringComparison.Ordinal), StringComparison.Ordinal);
        string broken = json[..at] + "\"compute_cycles\": \"many\"," + json[(json.IndexOf(',', at) + 1)..];
        var e = Assert.Throws<RunReportFormatException>(() => RunReportReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(broken))));
        Assert.Contains("compute_cycles", e.Message, StringComparison.Ordinal);
    }

    private static RunReport RoundTrip(RunReport report) => RunReportReader.Read(new MemoryStream(Bytes(report)));

    private static byte[] Bytes(RunReport report)
    {
        var s = new MemoryStream();
        RunReportJson.Write(report, s);
        return s.ToArray();
    }
}
