using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SiliconSim.Numerics.Kernels.Activation;

/// <summary>
/// Per-element statements of ONNX Runtime's MLAS transcendental kernels as they run on an x86-64 AVX512F machine.
/// Each lane of the vector kernels computes the same scalar recipe, so a scalar C# function with the same sequence of
/// IEEE operations (fma where the assembly uses vfmadd, plain mul/add/div elsewhere) reproduces the bits.
/// Sources: mlas/lib/compute.cpp (MlasExpConstants) with the AVX512F kernels in TransKernelAvx512F
/// (MlasComputeExpF32KernelAvx512F, MlasComputeSumExpF32KernelAvx512F); mlas/lib/intrinsics/avx512/gelu_avx512f.cpp
/// (erf; constants as in mlas/lib/erf.cpp except the clamp);
/// mlas/lib/logistic.cpp with LogisticKernelFma3.S; mlas/lib/tanh.cpp with TanhKernelFma3.S.
/// </summary>
public static class MlasMath
{
    // MlasExpConstants (compute.cpp); the hex-float polynomial terms are built exactly from their mantissas.
    private const float ExpLowerRange = -103.9720840454f;
    private const float ExpUpperRange = 88.7762626647950f;
    private const float RoundingBias = 12582912.0f; // MLAS_ROUNDING_BIAS_MAGIC, 1.5 * 2^23
    private const float Log2Reciprocal = 1.44269504088896341f;
    private const float Log2High = -6.93145752e-1f;
    private const float Log2Low = -1.42860677e-6f;
    private static readonly float s_poly0 = HexFloat(0x694000, -10);
    private static readonly float s_poly1 = HexFloat(0x125edc, -7);
    private static readonly float s_poly2 = HexFloat(0x555b5a, -5);
    private static readonly float s_poly3 = HexFloat(0x555450, -3);
    private static readonly float s_poly4 = HexFloat(0xfffff6, -2);
    private const float Poly56 = 1.0f;

    // GeluAvx512Constants (gelu_avx512f.cpp): MlasErfConstants of erf.cpp with the clamp raised to 3.925.
    private const float ErfUpperAbsRange = 3.925f;
    private const float ErfSplitBoundary = 0.921875f;
    private const float ErfSmallP0 = -5.99104969e-4f;
    private const float ErfSmallP1 = 4.99339588e-3f;
    private const float ErfSmallP2 = -2.67667342e-2f;
    private const float ErfSmallP3 = 1.12818025e-1f;
    private const float ErfSmallP4 = -3.76124859e-1f;
    private const float ErfSmallP5MinusOne = 1.28379151e-1f;
    private const float ErfBigP0 = 1.72948930e-5f;
    private const float ErfBigP1 = -3.83208680e-4f;
    private const float ErfBigP2 = 3.88393435e-3f;
    private const float ErfBigP3 = -2.42545605e-2f;
    private const float ErfBigP4 = 1.06777847e-1f;
    private const float ErfBigP5 = 6.34846687e-1f;
    private const float ErfBigP6MinusOne = 1.28717512e-1f;
    private const float ErfExpLowerRange = -88.3762626647949f;
    private const float ErfExpLog2Reciprocal = 1.44269504088896341f;
    private const float ErfExpLog2Hi = -6.93145752e-1f;
    private const float ErfExpLog2Lo = -1.42860677e-6f;
    private const float ErfExpP0 = 1.38319808e-3f;
    private const float ErfExpP1 = 8.37550033e-3f;
    private const float ErfExpP2 = 4.16689515e-2f;
    private const float ErfExpP3 = 1.66664466e-1f;
    private const float ErfExpP4 = 4.99999851e-1f;
    private const float ErfExpP5 = 1.00000000e+0f;
    private const float ErfExpP6 = 1.00000000e+0f;
    private const float ErfExpC = 1.25829120e+7f;

    // MlasLogisticConstants (logistic.cpp).
    private const float LogisticLower = -18.0f;
    private const float LogisticUpper = 18.0f;
    private const float LogisticAlpha9 = 4.37031012579801e-11f;
    private const float LogisticAlpha7 = 1.15627324459942e-07f;
    private const float LogisticAlpha5 = 6.08574864600143e-05f;
    private const float LogisticAlpha3 = 8.51377133304701e-03f;
    private const float LogisticAlpha1 = 2.48287947061529e-01f;
    private const float LogisticBeta10 = 6.10247389755681e-13f;
    private const float LogisticBeta8 = 5.76102136993427e-09f;
    private const float LogisticBeta6 = 6.29106785017040e-06f;
    private const float LogisticBeta4 = 1.70198817374094e-03f;
    private const float LogisticBeta2 = 1.16817656904453e-01f;
    private const float LogisticBeta0 = 9.93151921023180e-01f;

    // MlasTanhConstants (tanh.cpp, Eigen's 13/6 rational approximation).
    private const float TanhLower = -9.0f;
    private const float TanhUpper = 9.0f;
    private const float TanhAlpha13 = -2.76076847742355e-16f;
    private const float TanhAlpha11 = 2.00018790482477e-13f;
    private const float TanhAlpha9 = -8.60467152213735e-11f;
    private const float TanhAlpha7 = 5.12229709037114e-08f;
    private const float TanhAlpha5 = 1.48572235717979e-05f;
    private const float TanhAlpha3 = 6.37261928875436e-04f;
    private const float TanhAlpha1 = 4.89352455891786e-03f;
    private const float TanhBeta6 = 1.19825839466702e-06f;
    private const float TanhBeta4 = 1.18534705686654e-04f;
    private const float TanhBeta2 = 2.26843463243900e-03f;
    private const float TanhBeta0 = 4.89352518554385e-03f;

    /// <summary>
    /// exp(x) as MlasComputeExpF32KernelAvx512F computes it: clamp below at −103.97, m = round(x/ln2) by the
    /// rounding-bias trick (one fma), Cody–Waite reduction with two fmas, a degree-6 polynomial by Horner fmas, and
    /// VSCALEFPS (p·2^m, rounded once, so subnormal results are exact-rounded and large m overflows to +inf).
    /// </summary>
    public static float Exp(float x)
    {
        // vmaxps zmm, LowerRange, x: a NaN input is returned as is (second operand).
        x = ExpLowerRange > x ? ExpLowerRange : x;
        // Inputs whose x/ln2 overflows (up to +inf) come out +inf in ORT; compute.cpp's UpperRange clamp gives the
        // same +inf through the scaling, where the raw formula would produce NaN.
        x = ExpUpperRange < x ? ExpUpperRange : x;
        return ExpReduced(x);
    }

    /// <summary>
    /// One term of MlasComputeSumExpF32KernelAvx512F: exp(x + negativeMaximum) with the sum-exp kernel's add, clamp
    /// and the same polynomial as <see cref="Exp"/>.
    /// </summary>
    public static float SumExpTerm(float x, float negativeMaximum)
    {
        float v = negativeMaximum + x;
        v = ExpLowerRange > v ? ExpLowerRange : v;
        return ExpReduced(v);
    }

    private static float ExpReduced(float x)
    {
        float biased = MathF.FusedMultiplyAdd(x, Log2Reciprocal, RoundingBias);
        float m = biased - RoundingBias;
        float r = MathF.FusedMultiplyAdd(m, Log2High, x);
        r = MathF.FusedMultiplyAdd(m, Log2Low, r);
        float p = s_poly0;
        p = MathF.FusedMultiplyAdd(p, r, s_poly1);
        p = MathF.FusedMultiplyAdd(p, r, s_poly2);
        p = MathF.FusedMultiplyAdd(p, r, s_poly3);
        p = MathF.FusedMultiplyAdd(p, r, s_poly4);
        p = MathF.FusedMultiplyAdd(p, r, Poly56);
        p = MathF.FusedMultiplyAdd(p, r, Poly56);
        return ScaleF(p, m);
    }

    /// <summary>
    /// erf(x) as MLAS's AVX512F erf (mlas/lib/intrinsics/avx512/gelu_avx512f.cpp, MlasGeluErfAvx512, which ORT 1.31
    /// dispatches for Erf and exact Gelu on AVX512F machines; it differs from erf.cpp/ErfKernelFma3 in the clamp 3.925
    /// instead of 3.725, a strict split test and VSCALEFPS instead of an integer exponent rebuild): |x| clamped to
    /// 3.925; up to 0.921875 an odd polynomial in x² (fma Horner, then ·|x| + |x|); above it 1 − exp(−q(|x|)) with
    /// MLAS's erf-local expf; the sign is OR-ed back.
    /// </summary>
    public static float Erf(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        uint sign = bits & 0x8000_0000u;
        float a = BitConverter.UInt32BitsToSingle(bits & 0x7FFF_FFFFu);
        // _mm512_min_ps(Upper, a) returns a when either is NaN.
        a = ErfUpperAbsRange < a ? ErfUpperAbsRange : a;
        float result;
        if (a > ErfSplitBoundary)
        {
            float r = ErfBigP0;
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP1);
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP2);
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP3);
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP4);
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP5);
            r = MathF.FusedMultiplyAdd(r, a, ErfBigP6MinusOne);
            r = MathF.FusedMultiplyAdd(r, a, a);
            r = -r;
            r = ErfExpLowerRange > r ? ErfExpLowerRange : r;
            float n = MathF.FusedMultiplyAdd(ErfExpLog2Reciprocal, r, ErfExpC) - ErfExpC;
            float f = MathF.FusedMultiplyAdd(n, ErfExpLog2Hi, r);
            f = MathF.FusedMultiplyAdd(n, ErfExpLog2Lo, f);
            float y = ErfExpP0;
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP1);
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP2);
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP3);
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP4);
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP5);
            y = MathF.FusedMultiplyAdd(y, f, ErfExpP6);
            result = 1.0f - ScaleF(y, n);
        }
        else
        {
            float s = a * a;
            float small = ErfSmallP0;
            small = MathF.FusedMultiplyAdd(small, s, ErfSmallP1);
            small = MathF.FusedMultiplyAdd(small, s, ErfSmallP2);
            small = MathF.FusedMultiplyAdd(small, s, ErfSmallP3);
            small = MathF.FusedMultiplyAdd(small, s, ErfSmallP4);
            small = MathF.FusedMultiplyAdd(small, s, ErfSmallP5MinusOne);
            result = MathF.FusedMultiplyAdd(small, a, a);
        }

        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(result) | sign);
    }

    /// <summary>
    /// The logistic function as MlasLogisticKernelFma3 computes each lane: clamp to [−18, 18], odd/even rational
    /// polynomial in x² by fma Horner, p·x / q + 0.5, then max(0, ·) (the FMA3 kernel has no upper clamp).
    /// </summary>
    public static float Logistic(float x)
    {
        float v = LogisticLower > x ? LogisticLower : x;
        v = LogisticUpper < v ? LogisticUpper : v;
        float x2 = v * v;
        float p = MathF.FusedMultiplyAdd(x2, LogisticAlpha9, LogisticAlpha7);
        p = MathF.FusedMultiplyAdd(x2, p, LogisticAlpha5);
        p = MathF.FusedMultiplyAdd(x2, p, LogisticAlpha3);
        p = MathF.FusedMultiplyAdd(x2, p, LogisticAlpha1);
        float q = MathF.FusedMultiplyAdd(x2, LogisticBeta10, LogisticBeta8);
        q = MathF.FusedMultiplyAdd(x2, q, LogisticBeta6);
        q = MathF.FusedMultiplyAdd(x2, q, LogisticBeta4);
        q = MathF.FusedMultiplyAdd(x2, q, LogisticBeta2);
        q = MathF.FusedMultiplyAdd(x2, q, LogisticBeta0);
        p = v * p;
        float r = (p / q) + 0.5f;
        return 0f > r ? 0f : r;
    }

    /// <summary>
    /// tanh(x) with MLAS's Eigen-derived 13/6 rational approximation: clamp to [−9, 9], fma Horner in x², p·x / q.
    /// </summary>
    public static float Tanh(float x)
    {
        float v = TanhLower > x ? TanhLower : x;
        v = TanhUpper < v ? TanhUpper : v;
        float x2 = v * v;
        float p = MathF.FusedMultiplyAdd(x2, TanhAlpha13, TanhAlpha11);
        p = MathF.FusedMultiplyAdd(x2, p, TanhAlpha9);
        p = MathF.FusedMultiplyAdd(x2, p, TanhAlpha7);
        p = MathF.FusedMultiplyAdd(x2, p, TanhAlpha5);
        p = MathF.FusedMultiplyAdd(x2, p, TanhAlpha3);
        p = MathF.FusedMultiplyAdd(x2, p, TanhAlpha1);
        p = v * p;
        float q = MathF.FusedMultiplyAdd(x2, TanhBeta6, TanhBeta4);
        q = MathF.FusedMultiplyAdd(x2, q, TanhBeta2);
        q = MathF.FusedMultiplyAdd(x2, q, TanhBeta0);
        return p / q;
    }

    /// <summary>
    /// <see cref="Erf"/> of every element (its scalar reference), eight lanes at a time where AVX-512VL and FMA run:
    /// both branches of the same fused steps for every lane, the split test picking one per lane (no mispredicted
    /// branches), and the real VSCALEFPS that <see cref="ScaleF"/> emulates; the tail and other machines run the scalar.
    /// </summary>
    public static void ErfSpan(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length)
        {
            throw new ArgumentException($"the output holds {y.Length} values, the input {x.Length}");
        }

        int i = 0;
        if (Avx512F.VL.IsSupported && Fma.IsSupported)
        {
            for (; i + 8 <= x.Length; i += 8)
            {
                ErfVector(Vector256.Create(x.Slice(i, 8))).CopyTo(y.Slice(i, 8));
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = Erf(x[i]);
        }
    }

    private static Vector256<float> ErfVector(Vector256<float> x)
    {
        Vector256<uint> sign = x.AsUInt32() & Vector256.Create(0x8000_0000u);
        Vector256<float> a = (x.AsUInt32() & Vector256.Create(0x7FFF_FFFFu)).AsSingle();
        Vector256<float> upper = Vector256.Create(ErfUpperAbsRange);
        a = Vector256.ConditionalSelect(Vector256.LessThan(upper, a), upper, a);
        Vector256<float> big = Vector256.GreaterThan(a, Vector256.Create(ErfSplitBoundary));

        Vector256<float> r = Vector256.Create(ErfBigP0);
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP1));
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP2));
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP3));
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP4));
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP5));
        r = Fma.MultiplyAdd(r, a, Vector256.Create(ErfBigP6MinusOne));
        r = Fma.MultiplyAdd(r, a, a);
        r = -r;
        Vector256<float> lower = Vector256.Create(ErfExpLowerRange);
        r = Vector256.ConditionalSelect(Vector256.GreaterThan(lower, r), lower, r);
        Vector256<float> c = Vector256.Create(ErfExpC);
        Vector256<float> n = Fma.MultiplyAdd(Vector256.Create(ErfExpLog2Reciprocal), r, c) - c;
        Vector256<float> f = Fma.MultiplyAdd(n, Vector256.Create(ErfExpLog2Hi), r);
        f = Fma.MultiplyAdd(n, Vector256.Create(ErfExpLog2Lo), f);
        Vector256<float> p = Vector256.Create(ErfExpP0);
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP1));
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP2));
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP3));
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP4));
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP5));
        p = Fma.MultiplyAdd(p, f, Vector256.Create(ErfExpP6));
        Vector256<float> bigResult = Vector256.Create(1.0f) - Avx512F.VL.Scale(p, n);

        Vector256<float> s = a * a;
        Vector256<float> small = Vector256.Create(ErfSmallP0);
        small = Fma.MultiplyAdd(small, s, Vector256.Create(ErfSmallP1));
        small = Fma.MultiplyAdd(small, s, Vector256.Create(ErfSmallP2));
        small = Fma.MultiplyAdd(small, s, Vector256.Create(ErfSmallP3));
        small = Fma.MultiplyAdd(small, s, Vector256.Create(ErfSmallP4));
        small = Fma.MultiplyAdd(small, s, Vector256.Create(ErfSmallP5MinusOne));
        Vector256<float> smallResult = Fma.MultiplyAdd(small, a, a);

        Vector256<float> result = Vector256.ConditionalSelect(big, bigResult, smallResult);
        return (result.AsUInt32() | sign).AsSingle();
    }

    /// <summary>VSCALEFPS for an integral exponent: p·2^m rounded once to fp32 (NaN and infinities propagate).</summary>
    private static float ScaleF(float p, float m)
    {
        if (float.IsNaN(p) || float.IsNaN(m))
        {
            return float.NaN;
        }

        if (float.IsInfinity(m))
        {
            return m > 0 ? p * float.PositiveInfinity : p * 0f;
        }

        int e = (int)Math.Clamp(MathF.Floor(m), -400f, 400f);
        // p·2^e is exact in double for |e| ≤ 400 and p normal, so one cast rounds once.
        return (float)Math.ScaleB(p, e);
    }

    /// <summary>The fp32 value 0x1.MMMMMMp(exp) for a 24-bit hex mantissa field (exact).</summary>
    private static float HexFloat(int mantissa24, int exp) => (float)Math.ScaleB(1.0 + (mantissa24 / 16777216.0), exp);
}
