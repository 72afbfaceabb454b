namespace SiliconSim.Graph.Passes;

/// <summary>ONNX Runtime's graph optimisation levels that change values on x86-64 (basic and extended give the same
/// bits for the graphs modelled here; level ALL adds the NCHWc kernels' summation order).</summary>
public enum OrtOptimizationLevel
{
    /// <summary>ORT_ENABLE_EXTENDED: QDQ fusion, no layout rewrites.</summary>
    Extended,

    /// <summary>ORT_ENABLE_ALL (ORT's default): adds the NCHWc rewrite of float convs with constant weights.</summary>
    All,
}
