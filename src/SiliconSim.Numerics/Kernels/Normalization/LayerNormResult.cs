namespace SiliconSim.Numerics.Kernels.Normalization;

/// <summary>The three outputs of LayerNormalization: Y, Mean and InvStdDev (the last two shaped X.shape[:axis] + 1s).</summary>
public sealed record LayerNormResult(TensorValue Y, TensorValue Mean, TensorValue InvStdDev);
