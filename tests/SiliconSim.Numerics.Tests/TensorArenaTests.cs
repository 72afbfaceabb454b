namespace SiliconSim.Numerics.Tests;

public sealed class TensorArenaTests
{
    private const int Large = TensorArena.MinPooledBytes / sizeof(float);

    [Fact]
    public void Allocate_WithoutArena_IsANewZeroedArray()
    {
        float[] a = TensorArena.Allocate<float>(Large);
        float[] b = TensorArena.Allocate<float>(Large);
        Assert.NotSame(a, b);
        Assert.All(a, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Return_OfAnIssuedArray_IsReusedForTheSameTypeAndLength()
    {
        var arena = new TensorArena(1 << 30);
        float[] first;
        using (arena.Use())
        {
            first = TensorArena.Allocate<float>(Large);
        }

        Assert.True(arena.Return(first));
        Assert.Equal((long)Large * sizeof(float), arena.FreeBytes);
        using (arena.Use())
        {
            Assert.NotSame(first, TensorArena.Allocate<float>(Large + 1));
            Assert.NotSame(first, TensorArena.Allocate<int>(Large));
            Assert.Same(first, TensorArena.Allocate<float>(Large));
        }

        Assert.Equal(0, arena.FreeBytes);
    }

    [Fact]
    public void Return_OfAnArrayTheArenaDidNotIssue_IsRefused()
    {
        // Initializers and graph inputs must never be recycled into a kernel's output.
        var arena = new TensorArena(1 << 30);
        var foreign = new float[Large];
        Assert.False(arena.Return(foreign));
        using (arena.Use())
        {
            Assert.NotSame(foreign, TensorArena.Allocate<float>(Large));
        }
    }

    [Fact]
    public void Return_Twice_KeepsTheArrayOnce()
    {
        var arena = new TensorArena(1 << 30);
        float[] a;
        using (arena.Use())
        {
            a = TensorArena.Allocate<float>(Large);
        }

        Assert.True(arena.Return(a));
        Assert.False(arena.Return(a));
        using (arena.Use())
        {
            Assert.Same(a, TensorArena.Allocate<float>(Large));
            Assert.NotSame(a, TensorArena.Allocate<float>(Large));
        }
    }

    [Fact]
    public void Return_BeyondCapacity_LeavesTheArrayToTheGc()
    {
        var arena = new TensorArena((long)Large * sizeof(float));
        float[] a, b;
        using (arena.Use())
        {
            a = TensorArena.Allocate<float>(Large);
            b = TensorArena.Allocate<float>(Large);
        }

        Assert.True(arena.Return(a));
        Assert.False(arena.Return(b));
        Assert.Equal((long)Large * sizeof(float), arena.FreeBytes);
    }

    [Fact]
    public void Use_IsScopedToTheThreadAndRestored()
    {
        var arena = new TensorArena(1 << 30);
        float[] a;
        using (arena.Use())
        {
            a = TensorArena.Allocate<float>(Large);
        }

        arena.Return(a);
        // Outside the scope the arena is not consulted.
        Assert.NotSame(a, TensorArena.Allocate<float>(Large));
        float[]? fromOtherThread = null;
        using (arena.Use())
        {
            var t = new Thread(() => fromOtherThread = TensorArena.Allocate<float>(Large));
            t.Start();
            t.Join();
        }

        Assert.NotSame(a, fromOtherThread);
    }
}
