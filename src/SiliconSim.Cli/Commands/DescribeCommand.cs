using System.CommandLine;
using SiliconSim.Config;
using SiliconSim.Config.Diagnostics;
using SiliconSim.Hardware.Specs;
using SiliconSim.Hardware.Specs.Parameters;
using Spectre.Console;

namespace SiliconSim.Cli.Commands;

/// <summary>
/// `siliconsim describe [PRESET|FILE]`: every accelerator parameter with its unit, default and the reason for the
/// default (SST's sst-info); with a preset or file, the resolved value of each field too. A bad config prints every
/// diagnostic and exits 2.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Argument<string?>("CONFIG")
        {
            Description = "A preset name (e.g. tpu-v1) or a YAML config file; without it, the parameters alone.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("describe", "Describe the accelerator parameters (unit, default, reason), or a config's resolved values.") { config };
        command.SetAction(parse => Run(parse.GetValue(config), stdout, stderr));
        return command;
    }

    public static int Run(string? config, TextWriter stdout, TextWriter stderr)
    {
        IAnsiConsole console = Console(stdout);
        if (config is null)
        {
            console.Write(ParameterTable());
            var names = PresetCatalog.Names();
            stdout.WriteLine(names.IsEmpty ? "No presets folder (configs/presets) found." : "Presets: " + string.Join(", ", names));
            return CliApp.Success;
        }

        ConfigLoadResult result = PresetCatalog.Load(config);
        if (result.Spec is not AcceleratorSpec spec)
        {
            foreach (ConfigDiagnostic d in result.Diagnostics)
            {
                stderr.WriteLine(d);
            }

            stderr.WriteLine($"siliconsim: error: {result.SourceMap.File}: {result.Diagnostics.Length} problem(s) in the config");
            return CliApp.BadInput;
        }

        stdout.WriteLine($"{spec.Name} ({result.SourceMap.File}): {spec.Array.Rows}x{spec.Array.Cols} {SpecNames.Dataflows.Name(spec.Array.Dataflow)} array at {SpecParameter.Format(spec.ClockMhz)} MHz");
        console.Write(ValueTable(spec, result.SourceMap));
        return CliApp.Success;
    }

    private static Table ParameterTable()
    {
        var table = new Table().Title("Accelerator parameters").AddColumn(new TableColumn("Parameter").NoWrap())
            .AddColumns("Unit", "Default", "Allowed", "Meaning; reason for the default");
        foreach (SpecParameter p in SpecParameters.All)
        {
            table.AddRow(Esc(p.Path), Esc(p.Unit), Esc(p.Default ?? "required"), Esc(p.RangeText), Esc($"{p.Doc} {p.Reason}"));
        }

        return table;
    }

    private static Table ValueTable(AcceleratorSpec spec, SourceMap map)
    {
        var table = new Table().AddColumn(new TableColumn("Parameter").NoWrap())
            .AddColumns("Value", "Unit", "Source", "Default", "Reason for the default");
        foreach (var (path, value) in SpecValues.Flatten(spec))
        {
            SpecParameter p = SpecParameters.Get(path);
            SourceLocation at = map.Locate(path);
            string source = !map.Contains(path) ? "default" : at.File == map.File ? $"line {at.Line}" : $"{Path.GetFileName(at.File)}:{at.Line}";
            table.AddRow(Esc(path), Esc(value), Esc(p.Unit), source, Esc(p.Default ?? "required"), Esc(p.Reason));
        }

        return table;
    }

    private static string Esc(string text) => Markup.Escape(text);

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });

        // Redirected output (files, tests) has no terminal width; wide enough that reasons wrap rarely.
        console.Profile.Width = 180;
        return console;
    }
}
