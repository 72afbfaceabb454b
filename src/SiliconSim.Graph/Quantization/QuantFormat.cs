namespace SiliconSim.Graph.Quantization;

/// <summary>How the quantized graph expresses quantization, as ONNX Runtime's <c>QuantFormat</c>.</summary>
public enum QuantFormat
{
    /// <summary>QuantizeLinear/DequantizeLinear pairs around float ops (ORT's QDQ format).</summary>
    Qdq,

    /// <summary>Quantized operators (QLinearConv, QGemm, QLinearAdd, ...), ORT's QOperator format.</summary>
    QOperator,
}
