using Microsoft.ML.OnnxRuntime;

namespace SiliconSim.Conformance.Tests.ZooModels;

/// <summary>ORT's own optimised graph of a model (SessionOptions.OptimizedModelFilePath), to compare kernel choices.</summary>
internal static class OrtGraphs
{
    public static byte[] Optimized(byte[] model, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_EXTENDED)
    {
        string path = Path.Combine(Path.GetTempPath(), $"siliconsim-ort-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = path, IntraOpNumThreads = 1 })
            using (var session = new InferenceSession(model, options))
            {
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
