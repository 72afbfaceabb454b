namespace SiliconSim.Numerics;

/// <summary>
/// A tensor or a run would need more memory than its <see cref="MemoryBudget"/> allows: bad input (a model asking for
/// too much), raised before the allocation. Deliberately not an <see cref="ArgumentException"/>, so no caller that
/// skips a refused kernel (constant folding) swallows it.
/// </summary>
public sealed class MemoryBudgetException : Exception
{
    public MemoryBudgetException()
    {
    }

    public MemoryBudgetException(string message)
        : base(message)
    {
    }

    public MemoryBudgetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
