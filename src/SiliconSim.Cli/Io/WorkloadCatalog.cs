using SiliconSim.Config;

namespace SiliconSim.Cli.Io;

/// <summary>Finds the bundled demo workloads (<c>workloads/</c>) above the executable or the current directory.</summary>
internal static class WorkloadCatalog
{
    /// <summary>
    /// The model <c>siliconsim run</c> uses when given none: the digits CNN quantized by ONNX Runtime in QDQ form,
    /// uint8 activations and int8 weights per tensor (the array's default operand types), with its 360 test images and
    /// ONNX Runtime's golden outputs.
    /// </summary>
    public const string DefaultModel = "workloads/digits/digits_cnn_qdq_u8s8_tensor";

    public static string? Find(string relativePath) => RepositoryFolders.FindAbove(
        relativePath, [Directory.GetCurrentDirectory(), AppContext.BaseDirectory], path => Directory.Exists(path) || File.Exists(path));
}
