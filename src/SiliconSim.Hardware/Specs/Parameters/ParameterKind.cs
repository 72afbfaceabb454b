namespace SiliconSim.Hardware.Specs.Parameters;

/// <summary>The shape of a spec parameter's value as written in a config file.</summary>
public enum ParameterKind
{
    /// <summary>A group of parameters (a YAML mapping).</summary>
    Section,

    /// <summary>A list of groups (a YAML sequence of mappings), e.g. the SRAM buffers.</summary>
    SectionList,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>Any finite number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>One name from <see cref="SpecParameter.Choices"/>.</summary>
    Choice,

    /// <summary>A non-empty list of distinct names from <see cref="SpecParameter.Choices"/>.</summary>
    ChoiceList,
}
