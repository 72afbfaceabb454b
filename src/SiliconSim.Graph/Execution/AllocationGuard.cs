using SiliconSim.Graph.Ir;
using SiliconSim.Numerics;

namespace SiliconSim.Graph.Execution;

/// <summary>
/// Checks a node's first output against the per-tensor budget before its kernel runs, from the shape inference rule
/// for its op applied to the actual input shapes (broadcasting ops, MatMul, Conv, Concat, ...). Ops whose output shape
/// depends on input values (ConstantOfShape, Expand, Tile, Range) check in their handlers, where the values are read.
/// The output is costed at its first input's element type: exact for most ops, an underestimate (never a false refusal)
/// for the widening integer ones.
/// </summary>
internal static class AllocationGuard
{
    /// <exception cref="MemoryBudgetException">the output would be over the per-tensor budget.</exception>
    public static void Check(OpContext context, IReadOnlyList<TensorValue?> args)
    {
        int[]?[] shapes = [.. args.Select(a => a is null ? null : a.Shape.ToArray())];
        if (ShapeInference.OutputShape(context.Node, shapes) is not int[] output)
        {
            return;
        }

        DataType type = args.FirstOrDefault(a => a is not null)?.Type ?? DataType.UInt8;
        context.Options.MemoryBudget.CheckTensor("output", type, output);
    }
}
