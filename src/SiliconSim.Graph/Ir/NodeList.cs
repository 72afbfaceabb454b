using System.Collections;

namespace SiliconSim.Graph.Ir;

/// <summary>
/// The node list of a <see cref="GraphEditor"/>: a list in execution order that keeps, through every insert, replace
/// and remove, the indexes rewrite passes query once per node: producers and consumers of each value, node names, and
/// membership. Each node also carries an order key that grows along the list (gaps of 2^32, relabelled when an insert
/// finds no room), so <see cref="IndexOf"/> is a binary search and consumers are sorted into node order without a
/// scan. With these, a pass that looks at every node's neighbours is linear (n log n at worst) in the graph, where a
/// scan of the list per query made it quadratic (issue 13: a 100,000-node chain took minutes).
/// Nodes are identified as <see cref="List{T}"/> identifies them (record equality); the list never holds two equal
/// nodes.
/// </summary>
public sealed class NodeList : IList<Node>, IReadOnlyList<Node>
{
    /// <summary>The key distance between neighbours after a relabel: 32 inserts at one spot before the next.</summary>
    private const long Gap = 1L << 32;

    private readonly List<Node> _nodes = [];
    private readonly List<long> _keys = [];
    private readonly Dictionary<Node, long> _keyOf = [];
    private readonly Dictionary<string, List<Node>> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(Node Node, int Slot)>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _named = new(StringComparer.Ordinal);

    internal NodeList(IEnumerable<Node> nodes)
    {
        foreach (Node node in nodes)
        {
            Add(node);
        }
    }

    /// <summary>Counts every change to the list, so a caller can tell cheaply that nothing changed.</summary>
    public long Version { get; private set; }

    public int Count => _nodes.Count;

    public bool IsReadOnly => false;

    public Node this[int index]
    {
        get => _nodes[index];
        set
        {
            Node old = _nodes[index];
            long key = _keys[index];
            Unindex(old);
            _nodes[index] = value;
            Index(value, key);
            Version++;
        }
    }

    /// <summary>The first node in order that writes <paramref name="value"/>, or null.</summary>
    public Node? Producer(string value) =>
        _producers.TryGetValue(value, out List<Node>? list) && list.Count > 0 ? First(list) : null;

    /// <summary>Every (node, input slot) reading <paramref name="value"/>, in node order, then slot order.</summary>
    public List<(Node Node, int Slot)> Consumers(string value)
    {
        if (!_consumers.TryGetValue(value, out List<(Node Node, int Slot)>? list))
        {
            return [];
        }

        var result = new List<(Node Node, int Slot)>(list);
        if (result.Count > 1)
        {
            result.Sort((a, b) => a.Node.Equals(b.Node) ? a.Slot.CompareTo(b.Slot) : _keyOf[a.Node].CompareTo(_keyOf[b.Node]));
        }

        return result;
    }

    /// <summary>True when a node is named <paramref name="name"/>.</summary>
    public bool HasNodeNamed(string name) => _named.TryGetValue(name, out List<Node>? list) && list.Count > 0;

    /// <summary>The first node in order named <paramref name="name"/>, or null.</summary>
    public Node? Named(string name) => _named.TryGetValue(name, out List<Node>? list) && list.Count > 0 ? First(list) : null;

    public int IndexOf(Node item) => _keyOf.TryGetValue(item, out long key) ? _keys.BinarySearch(key) : -1;

    public bool Contains(Node item) => _keyOf.ContainsKey(item);

    public void Add(Node item) => Insert(_nodes.Count, item);

    public void Insert(int index, Node item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)_nodes.Count, nameof(index));
        if (_keyOf.ContainsKey(item))
        {
            throw new InvalidOperationException($"node {item.Describe()} is already in the graph");
        }

        long low = index == 0 ? 0 : _keys[index - 1];
        long high = index == _nodes.Count ? low + (2 * Gap) : _keys[index];
        if (high - low < 2)
        {
            Relabel();
            low = index == 0 ? 0 : _keys[index - 1];
            high = index == _nodes.Count ? low + (2 * Gap) : _keys[index];
        }

        long key = low + ((high - low) / 2);
        _nodes.Insert(index, item);
        _keys.Insert(index, key);
        Index(item, key);
        Version++;
    }

    public void InsertRange(int index, IEnumerable<Node> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (Node item in items.ToList())
        {
            Insert(index++, item);
        }
    }

    public bool Remove(Node item)
    {
        int index = IndexOf(item);
        if (index < 0)
        {
            return false;
        }

        RemoveAt(index);
        return true;
    }

    public void RemoveAt(int index)
    {
        Unindex(_nodes[index]);
        _nodes.RemoveAt(index);
        _keys.RemoveAt(index);
        Version++;
    }

    public void Clear()
    {
        _nodes.Clear();
        _keys.Clear();
        _keyOf.Clear();
        _producers.Clear();
        _consumers.Clear();
        _named.Clear();
        Version++;
    }

    public void CopyTo(Node[] array, int arrayIndex) => _nodes.CopyTo(array, arrayIndex);

    public List<Node>.Enumerator GetEnumerator() => _nodes.GetEnumerator();

    IEnumerator<Node> IEnumerable<Node>.GetEnumerator() => _nodes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _nodes.GetEnumerator();

    private Node First(List<Node> list)
    {
        Node first = list[0];
        for (int i = 1; i < list.Count; i++)
        {
            if (_keyOf[list[i]] < _keyOf[first])
            {
                first = list[i];
            }
        }

        return first;
    }

    private void Relabel()
    {
        for (int i = 0; i < _nodes.Count; i++)
        {
            long key = (i + 1) * Gap;
            _keys[i] = key;
            _keyOf[_nodes[i]] = key;
        }
    }

    private void Index(Node node, long key)
    {
        if (!_keyOf.TryAdd(node, key))
        {
            throw new InvalidOperationException($"node {node.Describe()} is already in the graph");
        }

        Add(_named, node.Name, node);
        foreach (string output in node.Outputs)
        {
            Add(_producers, output, node);
        }

        for (int slot = 0; slot < node.Inputs.Length; slot++)
        {
            if (!_consumers.TryGetValue(node.Inputs[slot], out List<(Node Node, int Slot)>? list))
            {
                _consumers[node.Inputs[slot]] = list = [];
            }

            list.Add((node, slot));
        }
    }

    private void Unindex(Node node)
    {
        _keyOf.Remove(node);
        Remove(_named, node.Name, node);
        foreach (string output in node.Outputs)
        {
            Remove(_producers, output, node);
        }

        foreach (string input in node.Inputs.Distinct(StringComparer.Ordinal))
        {
            if (_consumers.TryGetValue(input, out List<(Node Node, int Slot)>? list))
            {
                list.RemoveAll(c => c.Node.Equals(node));
                if (list.Count == 0)
                {
                    _consumers.Remove(input);
                }
            }
        }
    }

    private static void Add(Dictionary<string, List<Node>> index, string key, Node node)
    {
        if (!index.TryGetValue(key, out List<Node>? list))
        {
            index[key] = list = [];
        }

        list.Add(node);
    }

    private static void Remove(Dictionary<string, List<Node>> index, string key, Node node)
    {
        if (index.TryGetValue(key, out List<Node>? list))
        {
            int at = list.IndexOf(node);
            if (at >= 0)
            {
                list.RemoveAt(at);
            }

            if (list.Count == 0)
            {
                index.Remove(key);
            }
        }
    }
}
