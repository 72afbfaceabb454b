namespace SiliconSim.Numerics.Kernels.LowPrecision;

/// <summary>How a low-precision array scales an operand it quantizes itself (the activations; see <see cref="ScaledOperand"/>).</summary>
public enum BlockScaling
{
    /// <summary>OCP MX v1.0 §6.3: 32-element blocks, each with the E8M0 scale 2^(floor(log2 amax) − emax_elem).</summary>
    Mx,

    /// <summary>NVFP4: 16-element blocks with an E4M3 scale, under one fp32 scale per row (the row's amax / (6 · 448)),
    /// or under a static tensor scale when the model calibrates one (the array then reads the activation's stored
    /// NVFP4 form, <see cref="NvFp4AxisQuantizer"/>).</summary>
    NvFp4,

    /// <summary>One fp32 scale per row, amax / the element type's largest finite value (per-token fp8); no blocks.</summary>
    PerRow,
}
