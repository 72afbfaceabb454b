using SiliconSim.Numerics;

namespace SiliconSim.TestSupport.Models;

/// <summary>Deterministic random tensors for the test models: a seeded <see cref="Random"/>, normal values by Box-Muller.</summary>
public sealed class SeededTensors(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Normal values with mean 0 and standard deviation <paramref name="std"/>.</summary>
    public TensorValue Normal(float std, params int[] shape)
    {
        var data = new float[ShapeMath.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - _random.NextDouble();
            double u2 = _random.NextDouble();
            data[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return TensorValue.Create(DataType.Float, shape, data);
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public TensorValue Uniform(float low, float high, params int[] shape)
    {
        var data = new float[ShapeMath.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(low + ((high - low) * _random.NextDouble()));
        }

        return TensorValue.Create(DataType.Float, shape, data);
    }

    /// <summary>He-initialised conv weights [out, in/group, k, k], as a BatchNorm-folded conv's would look.</summary>
    public TensorValue ConvWeight(int outChannels, int inPerGroup, int kernel) =>
        Normal(MathF.Sqrt(2f / (inPerGroup * kernel * kernel)), outChannels, inPerGroup, kernel, kernel);
}
