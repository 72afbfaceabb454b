using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SiliconSim.Hardware.Specs;

namespace SiliconSim.Config.Tests;

/// <summary>The writer and the loader are inverses on valid specs, so resolved specs can be stored and reloaded (sweeps).</summary>
public sealed class RoundTripPropertyTests
{
    [Property(MaxTest = 100)]
    public Property GeneratedSpecs_AreValid() =>
        Prop.ForAll(Generators.ValidSpecs(), spec => spec.Validate().IsEmpty);

    [Property(MaxTest = 100)]
    public Property WriteThenLoad_GivesAnEqualSpec() =>
        Prop.ForAll(Generators.ValidSpecs(), spec =>
        {
            ConfigLoadResult loaded = ConfigLoader.LoadText(ConfigWriter.Write(spec), "generated.yaml");
            return loaded.Diagnostics.IsEmpty && spec.Equals(loaded.Spec);
        });

    [Property(MaxTest = 50)]
    public Property Writer_IsDeterministic_AndAFixedPoint() =>
        Prop.ForAll(Generators.ValidSpecs(), spec =>
        {
            string text = ConfigWriter.Write(spec);
            return text == ConfigWriter.Write(ConfigLoader.LoadText(text).SpecOrThrow());
        });

    [Fact]
    public void SpecEquality_ComparesListsByValue()
    {
        AcceleratorSpec a = PresetCatalog.Load("edge-npu").SpecOrThrow();
        AcceleratorSpec b = PresetCatalog.Load("edge-npu").SpecOrThrow();
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Memory = b.Memory with { Buffers = b.Memory.Buffers.RemoveAt(2) } });
        Assert.NotEqual(a, b with { Array = b.Array with { OperandTypes = [.. b.Array.OperandTypes.Reverse()] } });
    }
}
