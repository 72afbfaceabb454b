namespace SiliconSim.Cli.Vectors;

/// <summary>The file formats of exported test vectors.</summary>
internal enum VectorFormat
{
    /// <summary>NumPy .npy (version 1.0); sub-byte types as their packed bytes (uint8).</summary>
    Npy,

    /// <summary>Text for Verilog's <c>$readmemh</c>: one word of the stated width per line, hex digits most significant first.</summary>
    Hex,

    /// <summary>Raw little-endian bytes, sub-byte types packed.</summary>
    Bin,
}
