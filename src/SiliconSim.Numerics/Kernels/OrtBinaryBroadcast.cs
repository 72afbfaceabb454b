namespace SiliconSim.Numerics.Kernels;

/// <summary>
/// How ORT's CPU provider cuts a two-input broadcast into spans (core/providers/cpu/math/element_wise_ops.h,
/// Broadcaster/BroadcastIterator). It matters for QLinearAdd, whose float rounding differs between the "one input is
/// a scalar over this span" and the "both inputs stream" kernels. Each span is handed to one of three functors:
/// input 0 scalar, input 1 scalar, or general.
/// </summary>
public sealed class OrtBinaryBroadcast
{
    private readonly Iterator _it0 = new();
    private readonly Iterator _it1 = new();

    /// <summary>Builds the plan for inputs of shapes <paramref name="shape0"/> and <paramref name="shape1"/>.</summary>
    public OrtBinaryBroadcast(ReadOnlySpan<int> shape0, ReadOnlySpan<int> shape1)
    {
        OutputShape = ShapeMath.Broadcast(shape0, shape1);
        int maxRank = Math.Max(shape0.Length, shape1.Length);
        int minRank = Math.Min(shape0.Length, shape1.Length);
        int i0 = shape0.Length, i1 = shape1.Length;
        int index = 0;
        if (minRank == 0)
        {
            if (shape0.Length == 0)
            {
                if (shape1.Length == 0)
                {
                    _it0.Init(1, 1);
                    _it1.Init(1, 1);
                }
                else
                {
                    int axis = shape1[--i1];
                    _it0.Init(1, axis);
                    _it1.Init(axis, axis);
                }
            }
            else
            {
                int axis = shape0[--i0];
                _it0.Init(axis, axis);
                _it1.Init(1, axis);
            }

            index++;
        }
        else
        {
            for (; index < minRank; index++)
            {
                int a0 = shape0[--i0], a1 = shape1[--i1];
                int dim = Math.Min(a0, a1) == 0 ? 0 : Math.Max(a0, a1);
                // Trailing dims that are 1 (or 0) in both wait for the next dim to start the iterators.
                if (dim <= 1 && index + 1 < minRank)
                {
                    continue;
                }

                _it0.Init(a0, dim);
                _it1.Init(a1, dim);
                index++;
                break;
            }
        }

        for (; index < minRank; index++)
        {
            int a0 = shape0[--i0], a1 = shape1[--i1];
            int largest = Math.Max(a0, a1);
            int dim = Math.Min(a0, a1) == 0 ? 0 : largest;
            if (largest == 1)
            {
                continue;
            }

            _it0.Append(a0, dim);
            _it1.Append(a1, dim);
        }

        for (; index < maxRank; index++)
        {
            if (maxRank == shape1.Length)
            {
                int axis = shape1[--i1];
                _it0.Append(1, axis);
                _it1.Append(axis, axis);
            }
            else
            {
                int axis = shape0[--i0];
                _it0.Append(axis, axis);
                _it1.Append(1, axis);
            }
        }

        _it0.Counters = new long[_it0.Counts.Count];
        _it1.Counters = new long[_it1.Counts.Count];
        SpanSize = (int)Math.Min(_it0.Counts[0], _it1.Counts[0]);
        Input0Scalar = _it0.Deltas[0] == 0;
        Input1Scalar = _it1.Deltas[0] == 0;
        OutputLength = (int)ShapeMath.ElementCount(OutputShape);
    }

    /// <summary>The broadcast output shape.</summary>
    public int[] OutputShape { get; }

    /// <summary>The number of output elements.</summary>
    public int OutputLength { get; }

    /// <summary>Elements per span.</summary>
    public int SpanSize { get; }

    /// <summary>Input 0 holds one value per span (ORT's input0scalar functor).</summary>
    public bool Input0Scalar { get; }

    /// <summary>Input 1 holds one value per span (input1scalar functor), when input 0 is not scalar.</summary>
    public bool Input1Scalar { get; }

    /// <summary>Every span in output order: (input 0 offset, input 1 offset, output offset); length is <see cref="SpanSize"/>.</summary>
    public IEnumerable<(int Offset0, int Offset1, int OutputOffset)> Spans()
    {
        if (OutputLength == 0)
        {
            yield break;
        }

        var it0 = _it0.Fresh();
        var it1 = _it1.Fresh();
        for (int o = 0; o < OutputLength; o += SpanSize)
        {
            yield return ((int)it0.Index, (int)it1.Index, o);
            it0.AdvanceBy(SpanSize);
            it1.AdvanceBy(SpanSize);
        }
    }

    private sealed class Iterator
    {
        public List<long> Deltas { get; } = [];

        public List<long> Counts { get; } = [];

        public long[] Counters { get; set; } = [];

        public long Index { get; private set; }

        private long Count { get; set; } = 1;

        public void Init(int axis, int largest)
        {
            Check(axis, largest);
            Deltas.Add(axis > 1 ? 1 : 0);
            Counts.Add(largest);
            Count *= axis;
        }

        public void Append(int axis, int largest)
        {
            Check(axis, largest);
            if (axis > 1)
            {
                if (Deltas[^1] <= 0)
                {
                    Deltas.Add(Count);
                    Counts.Add(1);
                }
            }
            else if (Deltas[^1] > 0)
            {
                Deltas.Add(-Count);
                Counts.Add(1);
            }

            Counts[^1] *= largest;
            Count *= axis;
        }

        public Iterator Fresh()
        {
            var copy = new Iterator { Counters = new long[Counts.Count] };
            copy.Deltas.AddRange(Deltas);
            copy.Counts.AddRange(Counts);
            return copy;
        }

        public void AdvanceBy(long delta)
        {
            Index += Deltas[0] * delta;
            Counters[0] += delta;
            if (Counters[0] == Counts[0])
            {
                Counters[0] = 0;
                for (int c = 1; c < Counters.Length; c++)
                {
                    Index += Deltas[c];
                    if (++Counters[c] != Counts[c])
                    {
                        break;
                    }

                    Counters[c] = 0;
                }
            }
        }

        private static void Check(int axis, int largest)
        {
            if (axis != 1 && axis != largest)
            {
                throw new ArgumentException($"cannot broadcast a dimension of {axis} to {largest}");
            }
        }
    }
}
