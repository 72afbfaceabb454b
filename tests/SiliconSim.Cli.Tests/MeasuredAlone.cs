namespace SiliconSim.Cli.Tests;

/// <summary>
/// Tests that bound a command's allocations with <see cref="GC.GetTotalAllocatedBytes(bool)"/> join this collection.
/// That counter is process-wide, so while xunit runs other classes in parallel (a ResNet-18 plan allocates gigabytes)
/// it charges their allocations to the case under guard; the collection runs with nothing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
