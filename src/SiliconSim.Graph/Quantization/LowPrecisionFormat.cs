namespace SiliconSim.Graph.Quantization;

/// <summary>The low-precision weight formats of <see cref="LowPrecisionQuantizer"/>.</summary>
public enum LowPrecisionFormat
{
    /// <summary>FLOAT8E4M3FN weights, one fp32 scale per output channel (amax / 448).</summary>
    Fp8E4M3Fn,

    /// <summary>OCP MXFP4: FLOAT4E2M1 weights in 32-element blocks along the reduction axis, power-of-two (E8M0) scales.</summary>
    MxFp4,

    /// <summary>NVFP4: FLOAT4E2M1 weights in 16-element blocks along the reduction axis, E4M3 block scale × fp32 tensor scale.</summary>
    NvFp4,
}
