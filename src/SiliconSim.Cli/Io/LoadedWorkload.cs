using SiliconSim.Simulation.Pipeline;

namespace SiliconSim.Cli.Io;

/// <summary>A workload read from files: the request, the model (or topology) file, and the file or folder its inputs
/// came from (null without inputs), so a problem with either is reported against the right file.</summary>
internal sealed record LoadedWorkload(WorkloadRequest Request, string ModelPath, string? InputSource)
{
    /// <summary>True for a SCALE-Sim topology (layers only).</summary>
    public bool IsTopology => Request.Model is null;

    /// <summary>Prepares the request for <paramref name="spec"/>, turning a workload problem into bad input naming the
    /// model or the input file.</summary>
    public PreparedWorkload Prepare(Hardware.Specs.AcceleratorSpec? spec)
    {
        try
        {
            return SimulationPipeline.Prepare(Request, spec);
        }
        catch (WorkloadException e)
        {
            throw new UserInputException(e.Subject == WorkloadFault.Inputs ? InputSource ?? ModelPath : ModelPath, e.Message);
        }
    }
}
