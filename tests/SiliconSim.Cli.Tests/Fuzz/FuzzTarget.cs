namespace SiliconSim.Cli.Tests.Fuzz;

/// <summary>The inputs a user hands SiliconSim, each mutated from a valid seed and fed to the command that reads it.</summary>
internal enum FuzzTarget
{
    /// <summary>An ONNX model in a test-case folder, through <c>validate</c> and <c>run</c>.</summary>
    Model,

    /// <summary>A TensorProto input file of a test case, through <c>validate</c>.</summary>
    TensorPb,

    /// <summary>An accelerator config, through <c>run --config</c>.</summary>
    Config,

    /// <summary>A sweep spec, through <c>sweep</c>.</summary>
    SweepSpec,

    /// <summary>A NumPy input, through <c>run --input</c>.</summary>
    Npy,

    /// <summary>A SCALE-Sim topology CSV, through <c>run --topology</c>.</summary>
    Topology,

    /// <summary>A Hugging Face config.json, through <c>generate</c>.</summary>
    HuggingFaceConfig,
}
