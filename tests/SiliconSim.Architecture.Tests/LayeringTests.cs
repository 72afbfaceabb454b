using System.Reflection;
using System.Xml.Linq;

namespace SiliconSim.Architecture.Tests;

/// <summary>
/// The layering of STYLE D1 as tests: each src project references only the projects below it, the core never references
/// ONNX Runtime, YamlDotNet or the console/plotting libraries, and no src project references a test project.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, string[]> s_allowedProjectReferences = new(StringComparer.Ordinal)
    {
        ["SiliconSim.Numerics"] = [],
        ["SiliconSim.Graph"] = ["SiliconSim.Numerics"],
        ["SiliconSim.Hardware"] = ["SiliconSim.Numerics"],
        ["SiliconSim.Simulation"] = ["SiliconSim.Numerics", "SiliconSim.Graph", "SiliconSim.Hardware"],
        ["SiliconSim.Config"] = ["SiliconSim.Numerics", "SiliconSim.Hardware", "SiliconSim.Simulation"],
        ["SiliconSim.Reporting"] = ["SiliconSim.Numerics", "SiliconSim.Hardware", "SiliconSim.Simulation"],
        ["SiliconSim.Cli"] = ["SiliconSim.Numerics", "SiliconSim.Graph", "SiliconSim.Hardware", "SiliconSim.Simulation", "SiliconSim.Config", "SiliconSim.Reporting"],
    };

    private static readonly string[] s_forbiddenInCore = ["Microsoft.ML.OnnxRuntime", "YamlDotNet", "Spectre.Console", "ScottPlot", "System.CommandLine"];

    [Fact]
    public void SrcProjects_ReferenceOnlyTheLayersBelowThem()
    {
        string src = Path.Combine(RepoRoot(), "src");
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);
        foreach (string project in projects)
        {
            string name = Path.GetFileNameWithoutExtension(project);
            Assert.True(s_allowedProjectReferences.ContainsKey(name), $"{name} is a new src project: add its allowed references to this test");
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
                .ToList();
            foreach (string reference in references)
            {
                Assert.True(s_allowedProjectReferences[name].Contains(reference), $"{name} must not reference {reference}");
            }
        }
    }

    [Theory]
    [InlineData("SiliconSim.Numerics")]
    [InlineData("SiliconSim.Graph")]
    [InlineData("SiliconSim.Hardware")]
    [InlineData("SiliconSim.Simulation")]
    public void CoreAssemblies_DoNotReferenceIoOrOracleLibraries(string assemblyName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        foreach (string forbidden in s_forbiddenInCore)
        {
            Assert.DoesNotContain(referenced, r => r.StartsWith(forbidden, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CoreProjects_EnforceTheBannedApiList()
    {
        string banned = File.ReadAllText(Path.Combine(RepoRoot(), "src", "BannedSymbols.txt"));
        foreach (string symbol in new[] { "T:System.Console", "T:System.IO.File", "P:System.DateTime.Now", "M:System.Random.#ctor" })
        {
            Assert.Contains(symbol, banned, StringComparison.Ordinal);
        }

        foreach (string core in new[] { "SiliconSim.Numerics", "SiliconSim.Graph", "SiliconSim.Hardware", "SiliconSim.Simulation" })
        {
            string csproj = File.ReadAllText(Path.Combine(RepoRoot(), "src", core, core + ".csproj"));
            Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", csproj, StringComparison.Ordinal);
            Assert.Contains("BannedSymbols.txt", csproj, StringComparison.Ordinal);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiliconSim.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SiliconSim.sln not found above the test binary");
    }
}
