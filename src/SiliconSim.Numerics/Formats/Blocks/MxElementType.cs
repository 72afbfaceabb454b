namespace SiliconSim.Numerics.Formats.Blocks;

/// <summary>The element types of the OCP Microscaling formats (OCP MX v1.0, Table 1).</summary>
public enum MxElementType
{
    /// <summary>MXFP8 with E4M3 elements (emax 8, max 448).</summary>
    Fp8E4M3,

    /// <summary>MXFP8 with E5M2 elements (emax 15, max 57344).</summary>
    Fp8E5M2,

    /// <summary>MXFP6 with E3M2 elements (emax 4, max 28).</summary>
    Fp6E3M2,

    /// <summary>MXFP6 with E2M3 elements (emax 2, max 7.5).</summary>
    Fp6E2M3,

    /// <summary>MXFP4 with E2M1 elements (emax 2, max 6).</summary>
    Fp4E2M1,

    /// <summary>MXINT8: two's-complement 8-bit elements with an implicit scale of 2^-6 (emax 0, max 127/64).</summary>
    Int8,
}
