using System.CommandLine;
using SiliconSim.Cli.Io;
using SiliconSim.Graph.Execution;
using SiliconSim.Graph.Ir;
using SiliconSim.Graph.Passes;
using SiliconSim.Numerics;
using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Commands;

/// <summary>`siliconsim inspect MODEL [--lowered]`: lists a model's nodes with their value types, before or after the
/// ORT-CPU lowering, so a user can see which QDQ units fused and which stayed in float.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "An .onnx model file." };
        var lowered = new Option<bool>("--lowered") { Description = "Show the graph after ONNX Runtime's CPU rewrites (QDQ fusion) as SiliconSim executes it." };
        var batch = new Option<int>("--batch") { Description = "The size bound to symbolic input dimensions for the shapes shown (default 1).", DefaultValueFactory = _ => 1 };
        var maxMemory = MaxMemoryOption.Create();
        var command = new Command("inspect", "List a model's nodes with their value types and inferred shapes.") { model, lowered, batch, maxMemory };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(model)!;
            int n = parse.GetValue(batch);
            if (n <= 0)
            {
                throw new UserInputException("--batch", $"must be a positive integer, got {n}");
            }

            ModelGraph graph = ModelFiles.LoadModel(path);
            try
            {
                if (parse.GetValue(lowered))
                {
                    graph = SimulationPipeline.LowerForExecution(graph, spec: null, MaxMemoryOption.Budget(parse, maxMemory));
                }

                Print(graph, n, stdout);
            }
            catch (MemoryBudgetException e)
            {
                // The model asks for more memory than the budget: bad input, named by its file.
                throw new UserInputException(path, e.Message);
            }

            return CliApp.Success;
        });
        return command;
    }

    public static void Print(ModelGraph graph, int batch, TextWriter stdout)
    {
        var types = TypeInference.Infer(graph);
        var shapes = ShapeInference.Infer(graph, ShapeInference.InputShapes(graph, batch));
        string TypeOf(string v) => v.Length == 0 ? "-"
            : (types.TryGetValue(v, out var t) ? DataTypeInfo.Name(t) : "?") + (shapes.TryGetValue(v, out int[]? s) ? ShapeMath.Format(s) : string.Empty);
        stdout.WriteLine($"graph '{graph.Name}': {graph.Nodes.Length} nodes, {graph.Initializers.Count} initializers, opsets {string.Join(", ", graph.Opsets.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{(o.Key.Length == 0 ? "ai.onnx" : o.Key)}={o.Value}"))}");
        foreach (ValueInfo i in graph.RuntimeInputs)
        {
            stdout.WriteLine($"  input  {i.Name}: {DataTypeInfo.Name(i.Type)}{i.DimsText}");
        }

        foreach (Node n in graph.Nodes)
        {
            string ins = string.Join(", ", n.Inputs.Select(v => $"{v}:{TypeOf(v)}"));
            string outs = string.Join(", ", n.Outputs.Select(v => $"{v}:{TypeOf(v)}"));
            string supported = OpRegistry.Find(n.NormalizedDomain, n.OpType) is null ? "  [unsupported]" : string.Empty;
            stdout.WriteLine($"  {n.Describe()}  ({ins}) -> ({outs}){supported}");
        }

        foreach (ValueInfo o in graph.Outputs)
        {
            stdout.WriteLine($"  output {o.Name}: {TypeOf(o.Name)}");
        }
    }
}
