namespace SiliconSim.Graph.Execution.Ops;

/// <summary>Turns a kernel's argument errors into <see cref="OpException"/>s, which the executor reports with the node.</summary>
internal static class OpGuard
{
    public static T Run<T>(Func<T> kernel)
    {
        try
        {
            return kernel();
        }
        catch (ArgumentException e)
        {
            throw new OpException(e.Message, e);
        }
        catch (DivideByZeroException e)
        {
            throw new OpException("integer division by zero", e);
        }
    }
}
