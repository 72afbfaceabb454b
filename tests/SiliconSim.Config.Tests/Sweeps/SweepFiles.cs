using SiliconSim.Config.Sweeps;

namespace SiliconSim.Config.Tests.Sweeps;

/// <summary>Writes sweep files into a temporary folder with a stand-in model beside them.</summary>
public sealed class SweepFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siliconsim-sweep-").FullName;

    public SweepFiles() => File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), [0]);

    public string PathOf(string name) => Path.Combine(_dir, name);

    public SweepLoadResult Load(string text) => SweepLoader.LoadText(text, PathOf("s.yaml"));

    public SweepDefinition LoadValid(string text)
    {
        SweepLoadResult r = Load(text);
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        return r.Definition!;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
