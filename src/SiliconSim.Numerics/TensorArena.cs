using System.Runtime.CompilerServices;

namespace SiliconSim.Numerics;

/// <summary>
/// Storage arrays reused across the nodes of one graph run (issue 18). A fresh large array costs more than the kernel
/// that fills it: the runtime zeroes it and the OS faults its pages in (about 1 ms per MB on the machines measured, as
/// much as dequantizing it). The executor makes an arena per run and hands a value's array back when the value's last
/// reader has run; kernels that write every element of their output take it from <see cref="Allocate{T}"/>.
/// <para>
/// The arena is ambient (<see cref="Use"/> sets it for the current thread while one kernel runs) so kernels keep their
/// signatures; with no arena in use, <see cref="Allocate{T}"/> is plain <c>new T[length]</c>. An array is reused only if
/// this arena handed it out, so initializers, graph inputs and arrays a kernel keeps are never recycled. Contents of a
/// reused array are stale: only kernels that overwrite every element may call <see cref="Allocate{T}"/>, and the bits of
/// a result therefore never depend on reuse.
/// </para>
/// </summary>
public sealed class TensorArena
{
    /// <summary>
    /// Arrays below this many bytes come from the GC directly: tracking one costs about what allocating it does. Set at
    /// 1 KiB, not higher, because a transformer's activations are many 8 to 32 KiB tensors whose fresh arrays made most of
    /// its collections (issue 18: 1.2 MB allocated and 0.3 ms of GC pauses per 2-layer encoder run at 16 KiB).
    /// </summary>
    public const int MinPooledBytes = 1024;

    [ThreadStatic]
    private static TensorArena? s_current;

    private readonly Lock _lock = new();
    private readonly Dictionary<(Type Element, int Length), Stack<Array>> _free = [];
    private readonly Dictionary<Array, long> _issued = new(ReferenceEqualityComparer.Instance);

    /// <param name="capacityBytes">The most bytes of free arrays kept for reuse; an array handed back beyond it is left to the GC.</param>
    public TensorArena(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    /// <summary>The most bytes of free arrays kept for reuse.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes of the arrays waiting for reuse (memory the run holds beyond its live values).</summary>
    public long FreeBytes { get; private set; }

    /// <summary>
    /// An array of exactly <paramref name="length"/> elements whose contents are unspecified: from the arena in use on
    /// this thread when it holds one of that type and length, else new. The caller must write every element.
    /// </summary>
    public static T[] Allocate<T>(int length)
    {
        TensorArena? arena = s_current;
        if (arena is null || (long)length * Unsafe.SizeOf<T>() < MinPooledBytes || RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return new T[length];
        }

        return arena.Rent<T>(length);
    }

    /// <summary>Makes this the arena of the current thread until the returned scope is disposed.</summary>
    public Scope Use()
    {
        TensorArena? previous = s_current;
        s_current = this;
        return new Scope(previous);
    }

    /// <summary>
    /// Takes back <paramref name="array"/>, which no live value may reference any more; true when kept for reuse. Arrays
    /// this arena did not hand out, and arrays beyond <see cref="CapacityBytes"/>, are left alone.
    /// </summary>
    public bool Return(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        lock (_lock)
        {
            if (!_issued.Remove(array, out long bytes))
            {
                return false;
            }

            if (FreeBytes + bytes > CapacityBytes)
            {
                return false;
            }

            var key = (array.GetType().GetElementType()!, array.Length);
            if (!_free.TryGetValue(key, out Stack<Array>? stack))
            {
                _free[key] = stack = new Stack<Array>();
            }

            stack.Push(array);
            FreeBytes += bytes;
            return true;
        }
    }

    /// <summary>
    /// Hands a kernel's scratch array (from <see cref="Allocate{T}"/>) back to the arena of the current thread once the
    /// kernel no longer reads it; nothing happens without an arena or for an array it did not hand out.
    /// </summary>
    public static void Recycle(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        s_current?.Return(array);
    }

    /// <summary>
    /// Forgets the arrays handed out and not returned (a run's outputs, which now belong to the caller), so that they
    /// are never handed out again nor kept alive; the free arrays stay for the next run.
    /// </summary>
    public void ForgetIssued()
    {
        lock (_lock)
        {
            _issued.Clear();
        }
    }

    private T[] Rent<T>(int length)
    {
        lock (_lock)
        {
            T[] array;
            if (_free.TryGetValue((typeof(T), length), out Stack<Array>? stack) && stack.Count > 0)
            {
                array = (T[])stack.Pop();
                FreeBytes -= (long)length * Unsafe.SizeOf<T>();
            }
            else
            {
                // Contents are unspecified anyway, so skip the zeroing a plain new does.
                array = GC.AllocateUninitializedArray<T>(length);
            }

            _issued.Add(array, (long)length * Unsafe.SizeOf<T>());
            return array;
        }
    }

    /// <summary>Restores the previous arena of the thread when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly TensorArena? _previous;

        internal Scope(TensorArena? previous) => _previous = previous;

        public void Dispose() => s_current = _previous;
    }
}
