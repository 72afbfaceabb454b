using System.Collections.Immutable;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// Which SRAM buffer holds each operand: the first buffer (in spec order) with the operand's role, else the first
/// Unified buffer. Operands that land in the same buffer share its tile capacity.
/// </summary>
internal sealed class BufferAssignment
{
    private BufferAssignment(BufferSpec input, BufferSpec weight, BufferSpec output, ImmutableArray<BufferSpec> used)
    {
        Input = input;
        Weight = weight;
        Output = output;
        Used = used;
    }

    public BufferSpec Input { get; }

    public BufferSpec Weight { get; }

    public BufferSpec Output { get; }

    /// <summary>The distinct buffers that hold an operand, in spec order.</summary>
    public ImmutableArray<BufferSpec> Used { get; }

    public BufferSpec For(OperandKind operand) => operand switch
    {
        OperandKind.Input => Input,
        OperandKind.Weight => Weight,
        _ => Output,
    };

    /// <summary>The assignment, or null and a reason naming the operand no buffer can hold.</summary>
    public static BufferAssignment? Resolve(ImmutableArray<BufferSpec> buffers, out string? reason)
    {
        BufferSpec? unified = buffers.FirstOrDefault(b => b.Role == BufferRole.Unified);
        BufferSpec? Pick(BufferRole role) => buffers.FirstOrDefault(b => b.Role == role) ?? unified;
        BufferSpec? input = Pick(BufferRole.Input), weight = Pick(BufferRole.Weight), output = Pick(BufferRole.Output);
        string? missing = input is null ? "input" : weight is null ? "weight" : output is null ? "output" : null;
        if (missing is not null)
        {
            reason = $"no buffer holds the {missing} operand: the memory needs a buffer with role {missing} or a unified buffer";
            return null;
        }

        reason = null;
        var used = buffers.Where(b => ReferenceEquals(b, input) || ReferenceEquals(b, weight) || ReferenceEquals(b, output)).ToImmutableArray();
        return new BufferAssignment(input!, weight!, output!, used);
    }
}
