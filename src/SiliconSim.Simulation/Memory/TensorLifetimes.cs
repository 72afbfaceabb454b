using SiliconSim.Simulation.Layers;

namespace SiliconSim.Simulation.Memory;

/// <summary>
/// When each tensor of a layer sequence is read: the layer indices that read it, in order. The plan's eviction policy
/// asks for the next use after a layer (Belady's furthest-next-use rule), and frees a tensor after its last one.
/// </summary>
internal sealed class TensorLifetimes
{
    private readonly Dictionary<string, List<int>> _uses = new(StringComparer.Ordinal);

    public TensorLifetimes(IReadOnlyList<LayerWork> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            foreach (TensorUse read in layers[i].Reads)
            {
                if (!_uses.TryGetValue(read.Name, out List<int>? list))
                {
                    _uses[read.Name] = list = [];
                }

                if (list.Count == 0 || list[^1] != i)
                {
                    list.Add(i);
                }
            }
        }
    }

    /// <summary>The first layer after <paramref name="layer"/> that reads <paramref name="tensor"/>, or <see cref="int.MaxValue"/>.</summary>
    public int NextUse(string tensor, int layer)
    {
        if (!_uses.TryGetValue(tensor, out List<int>? uses))
        {
            return int.MaxValue;
        }

        int at = uses.BinarySearch(layer + 1);
        at = at < 0 ? ~at : at;
        return at < uses.Count ? uses[at] : int.MaxValue;
    }

    /// <summary>How many layers after <paramref name="layer"/> read <paramref name="tensor"/>.</summary>
    public int UsesAfter(string tensor, int layer)
    {
        if (!_uses.TryGetValue(tensor, out List<int>? uses))
        {
            return 0;
        }

        int at = uses.BinarySearch(layer + 1);
        at = at < 0 ? ~at : at;
        return uses.Count - at;
    }

    /// <summary>The layers after <paramref name="layer"/> that read <paramref name="tensor"/>, in order.</summary>
    public IEnumerable<int> ReadersAfter(string tensor, int layer)
    {
        if (!_uses.TryGetValue(tensor, out List<int>? uses))
        {
            return [];
        }

        int at = uses.BinarySearch(layer + 1);
        at = at < 0 ? ~at : at;
        return uses.Skip(at);
    }

    /// <summary>How many layers read <paramref name="tensor"/> at all.</summary>
    public int Readers(string tensor) => _uses.TryGetValue(tensor, out List<int>? uses) ? uses.Count : 0;
}
