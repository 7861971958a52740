using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Every activation and derivative operator, at every width (scalar, 128, 256 and 512 bits; each width's
/// <c>Invoke</c> called directly, the 512-bit one in software where it is not accelerated), against a float64
/// reference over the whole float range: every float stepped by 2¹³ ulps, runs of consecutive floats around each
/// switch-over, saturation and underflow point, ±0, subnormals, |z| from 10⁻³⁸ to 10⁴ on a logarithmic grid, a fine
/// grid through the curved part, and ±∞; and NaN, which must come through. The bounds are in units in the last place of
/// the float nearest the exact value (below 2⁻¹²⁶ one ulp is 2⁻¹⁴⁹, so a subnormal result is held to an absolute error
/// of a few 2⁻¹⁴⁹), from <see cref="AccuracyBounds.Ulps"/>, which docs/accuracy.md shows.
/// </summary>
public class ActivationAccuracyTests
{
    public static readonly string[] Widths = ["scalar", "128", "256", "512"];

    /// <summary>The bound per operator, in ulps (the one table, which docs/accuracy.md shows).</summary>
    public static Dictionary<string, double> Bounds => AccuracyBounds.Ulps;

    /// <summary>The inputs every forward map is checked at.</summary>
    public static float[] Inputs()
    {
        var values = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, 1e-45f, 1e-40f, 1e-39f, 1.1754942e-38f, 1.1754944e-38f, float.PositiveInfinity, float.NegativeInfinity };
        // |z| from 1e-38 to 1e4, 40 points per decade, both signs, each nudged off the round numbers.
        for (double e = -38; e <= 4; e += 1.0 / 40)
        {
            float v = (float)Math.Pow(10, e + 0.0037);
            values.Add(v);
            values.Add(-v);
        }
        // Every binade up to 10⁴ at random (random exponent, random mantissa, random sign).
        var random = new Random(19);
        for (int k = 0; k < 20000; k++)
        {
            float v = float.ScaleB(1 + random.NextSingle(), random.Next(-149, 14));
            values.Add(random.Next(2) == 0 ? v : -v);
        }
        // The curved part, finely.
        for (double z = -40; z <= 40; z += 1.0 / 97)
            values.Add((float)z);
        // Where e^x over- and underflows (normal, subnormal, zero), and the tanh switch-over.
        foreach (float v in new[] { 0.625f, 0.62499994f, 0.62500006f, 8.6f, 9.01f, 15.9f, 16.7f, 17.33f, 44.3f, 87.33f, 87.34f, 88f, 88.72f, 88.73f, 89f, 100f, 103.27f, 103.97f, 104f, 104.5f, 105f, 150f, 1e4f, float.MaxValue })
        {
            values.Add(v);
            values.Add(-v);
        }
        // Every float of both signs, stepped by 2¹³ ulps (about 1 000 floats a binade, all 254 binades and the subnormals).
        for (uint bits = 0; bits < 0x7F800000u; bits += 1u << 13)
        {
            values.Add(BitConverter.UInt32BitsToSingle(bits));
            values.Add(-BitConverter.UInt32BitsToSingle(bits));
        }
        // 2 048 consecutive floats, one ulp apart, on each side of every point where a kernel switches form, saturates
        // or underflows (both signs): the first subnormals, 2⁻¹²⁶, tanh's 0.625, 1, where 1 − σ(z) reaches one ulp
        // of 1 (8.3, 16.6, 17.3), where e^{−x} goes subnormal, then 0 (87.3, 103.3, 103.97, 104), and 10⁴.
        foreach (float anchor in new[] { 0f, 1.1754944e-38f, 0.625f, 1f, 8.3177f, 16.6355f, 17.3287f, 87.3365f, 88.7228f, 103.2789f, 103.9721f, 104f, 1e4f })
        {
            uint start = BitConverter.SingleToUInt32Bits(anchor);
            for (uint bits = start > 1024 ? start - 1024 : 0; bits < start + 1024; bits++)
            {
                values.Add(BitConverter.UInt32BitsToSingle(bits));
                values.Add(-BitConverter.UInt32BitsToSingle(bits));
            }
        }
        return [.. values];
    }

    public static IEnumerable<object[]> WidthCases() => from w in Widths select new object[] { w };

    public static IEnumerable<object[]> Cases() => from w in Widths from op in new[] { "sigmoid", "tanh", "bipolar", "softplus", "relu", "identity" } select new object[] { op, w };

    public static IEnumerable<object[]> DerivativeCases() => from w in Widths from op in new[] { "sigmoid′", "tanh′", "bipolar′", "softplus′", "relu′", "identity′" } select new object[] { op, w };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_IsWithinItsBound(string op, string width)
    {
        float[] z = Inputs();
        float[] y = op switch
        {
            "sigmoid" => Unary<SigmoidOperator>(width, z),
            "tanh" => Unary<TanhOperator>(width, z),
            "bipolar" => Unary<BipolarSigmoidOperator>(width, z),
            "softplus" => Unary<SoftplusOperator>(width, z),
            "relu" => Unary<ReluOperator>(width, z),
            _ => Unary<IdentityOperator>(width, z),
        };
        Func<double, double> reference = op switch
        {
            "sigmoid" => Reference.Sigmoid,
            "tanh" => Math.Tanh,
            "bipolar" => v => Math.Tanh(v / 2),
            "softplus" => Reference.Softplus,
            "relu" => v => Math.Max(v, 0),
            _ => v => v,
        };
        AssertWithin(Bounds[op], z, null, y, (v, _) => reference(v), $"{op}, {width}");
        if (op is "tanh" or "bipolar" or "identity")
        {
            Assert.True(float.IsNegative(y[1]), $"{op}(−0) must be −0, {width}");
            Assert.True(float.IsPositive(y[0]), $"{op}(+0) must be +0, {width}");
        }
    }

    [Theory]
    [MemberData(nameof(DerivativeCases))]
    public void Derivative_IsWithinItsBound(string op, string width)
    {
        // y runs over what the forward map gives for every input above (saturated ones included: y = 1 exactly,
        // y one ulp below 1, subnormal y), paired with gradients δ of every size.
        float[] z = Inputs();
        float[] deltas = [1f, -0.37f, 3.1e5f, -2.2e-20f, 7.7e-3f, 1e-30f, -1.9f];
        float[] d = z.Select((_, k) => deltas[k % deltas.Length]).ToArray();
        (float[] x, float[] y, Func<double, double, double> reference) = op switch
        {
            "sigmoid′" => (Map<SigmoidOperator>(z), Binary<SigmoidDerivativeOperator>(width, Map<SigmoidOperator>(z), d), (Func<double, double, double>)((y, dd) => dd * y * (1 - y))),
            "tanh′" => (Map<TanhOperator>(z), Binary<TanhDerivativeOperator>(width, Map<TanhOperator>(z), d), (y, dd) => dd * (1 - y * y)),
            "bipolar′" => (Map<BipolarSigmoidOperator>(z), Binary<BipolarSigmoidDerivativeOperator>(width, Map<BipolarSigmoidOperator>(z), d), (y, dd) => 0.5 * dd * (1 - y * y)),
            "softplus′" => (z, Binary<SoftplusDerivativeOperator>(width, z, d), (zz, dd) => dd * Reference.Sigmoid(zz)),
            "relu′" => (z, Binary<ReluDerivativeOperator>(width, z, d), (zz, dd) => zz > 0 ? dd : 0),
            _ => (z, Binary<IdentityDerivativeOperator>(width, z, d), (_, dd) => dd),
        };
        AssertWithin(Bounds[op], x, d, y, reference, $"{op}, {width}", op == "softplus′" ? Math.Pow(2, -149) : 0);
    }

    /// <summary>
    /// The two building blocks on their own, at each vector width: e^x over its whole clamp range [−104, 88] (results from
    /// 2⁻¹⁴⁹ to 1.65·10³⁸, subnormals included), and the quotient n/d the activations divide with, for d = 1 + n, n from
    /// e^{−|z|} over every input above (so every d in [1, 2]) and for n of every size over d in [1, 2]. Above 88 e^x
    /// stays at e^88 and below −104 it is 0 (the clamp is documented); the scalar tails call float.Exp and divide.
    /// </summary>
    [Theory]
    [InlineData("128")]
    [InlineData("256")]
    [InlineData("512")]
    public void ExpAndQuotient_AreWithinTheirBounds(string width)
    {
        float[] x = Inputs().Where(v => v is >= -104f and <= 88f).ToArray();
        AssertWithin(Bounds["exp"], x, null, Unary<ExpProbe>(width, x), (v, _) => Math.Exp(v), $"exp, {width}");
        Assert.Equal([float.Exp(88f), 0f, float.Exp(88f), 0f], Unary<ExpProbe>(width, [89f, -105f, float.PositiveInfinity, float.NegativeInfinity]), new ToleranceComparer(2e-7));
        float[] n = Inputs().Select(v => (float)Math.Exp(-Math.Abs((double)v))).ToArray();
        float[] d = n.Select(v => 1f + v).ToArray();
        var random = new Random(7);
        float[] n2 = Inputs().Where(float.IsFinite).ToArray();
        float[] d2 = n2.Select(_ => 1f + random.NextSingle()).ToArray();
        AssertWithin(Bounds["quotient"], [.. n, .. n2], [.. d, .. d2], Binary<QuotientProbe>(width, [.. n, .. n2], [.. d, .. d2]), (nn, dd) => nn / dd, $"quotient, {width}");
    }

    private readonly struct ExpProbe : IUnaryOperator
    {
        public static float Invoke(float x) => float.Exp(x);
        public static Vector128<float> Invoke(Vector128<float> x) => FastExp.Exp(x);
        public static Vector256<float> Invoke(Vector256<float> x) => FastExp.Exp(x);
        public static Vector512<float> Invoke(Vector512<float> x) => FastExp.Exp(x);
    }

    private readonly struct QuotientProbe : IBinaryOperator
    {
        public static float Invoke(float n, float d) => n / d;
        public static Vector128<float> Invoke(Vector128<float> n, Vector128<float> d) => FastReciprocal.Quotient(n, d);
        public static Vector256<float> Invoke(Vector256<float> n, Vector256<float> d) => FastReciprocal.Quotient(n, d);
        public static Vector512<float> Invoke(Vector512<float> n, Vector512<float> d) => FastReciprocal.Quotient(n, d);
    }

    private sealed class ToleranceComparer(double relative) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => a == b || Math.Abs(a - b) <= relative * Math.Abs(b);
        public int GetHashCode(float v) => 0;
    }

    /// <summary>
    /// NaN in, NaN out, at every width and for every operator (a NaN that an activation turned into a number would hide a
    /// diverged training from the Trainer's checks), whatever the NaN's sign or payload. The one exception is documented:
    /// δ·ReLU′ with y = NaN is 0 at every width ([y &gt; 0] is false), and a NaN δ still comes through.
    /// </summary>
    [Theory]
    [MemberData(nameof(WidthCases))]
    public void NaN_ComesThroughAtEveryWidth(string width)
    {
        float[] nans = [float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7FC0_1234u), BitConverter.UInt32BitsToSingle(0xFF80_0001u)];
        var failures = new List<string>();
        void Expect(string what, float[] actual, bool nan)
        {
            foreach (float v in actual)
                if (float.IsNaN(v) != nan)
                {
                    failures.Add($"{what}, {width}: {v:R}, expected {(nan ? "NaN" : "0")}");
                    return;
                }
        }
        Expect("sigmoid", Unary<SigmoidOperator>(width, nans), true);
        Expect("tanh", Unary<TanhOperator>(width, nans), true);
        Expect("bipolar", Unary<BipolarSigmoidOperator>(width, nans), true);
        Expect("softplus", Unary<SoftplusOperator>(width, nans), true);
        Expect("relu", Unary<ReluOperator>(width, nans), true);
        Expect("identity", Unary<IdentityOperator>(width, nans), true);
        float[] ones = [1f, 0.5f, 1e-20f, 0f], halves = [0.5f, 0.25f, -0.5f, 0.99f];
        foreach (var (what, y, d) in new[] { ("NaN δ", halves, nans), ("NaN y", nans, ones) })
        {
            Expect($"sigmoid′, {what}", Binary<SigmoidDerivativeOperator>(width, y, d), true);
            Expect($"tanh′, {what}", Binary<TanhDerivativeOperator>(width, y, d), true);
            Expect($"bipolar′, {what}", Binary<BipolarSigmoidDerivativeOperator>(width, y, d), true);
            Expect($"softplus′, {what}", Binary<SoftplusDerivativeOperator>(width, y, d), true);
            Expect($"identity′, {what}", Binary<IdentityDerivativeOperator>(width, y, d), what == "NaN δ");
        }
        Expect("relu′, NaN δ", Binary<ReluDerivativeOperator>(width, [0.5f, 1f, 3e38f, 1e-40f], nans), true);
        Expect("relu′, NaN y", Binary<ReluDerivativeOperator>(width, nans, ones), false);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The scalar operator everywhere: the derivative tests take y from it, so their inputs are the same at every width.</summary>
    private static float[] Map<TOp>(float[] z) where TOp : IUnaryOperator => Array.ConvertAll(z, TOp.Invoke);

    /// <summary>The operator at one width, the inputs loaded into whole vectors (the last one padded with its last input).</summary>
    public static float[] Unary<TOp>(string width, float[] z) where TOp : IUnaryOperator
    {
        var y = new float[z.Length];
        int lanes = WidthPaths.Lanes(width);
        var chunk = new float[lanes];
        for (int i = 0; i < z.Length; i += lanes)
        {
            for (int k = 0; k < lanes; k++)
                chunk[k] = z[Math.Min(i + k, z.Length - 1)];
            switch (width)
            {
                case "512": TOp.Invoke(Vector512.Create(chunk)).CopyTo(chunk); break;
                case "256": TOp.Invoke(Vector256.Create(chunk)).CopyTo(chunk); break;
                case "128": TOp.Invoke(Vector128.Create(chunk)).CopyTo(chunk); break;
                default: chunk[0] = TOp.Invoke(chunk[0]); break;
            }
            for (int k = 0; k < lanes && i + k < z.Length; k++)
                y[i + k] = chunk[k];
        }
        return y;
    }

    public static float[] Binary<TOp>(string width, float[] x, float[] d) where TOp : IBinaryOperator
    {
        var y = new float[x.Length];
        int lanes = WidthPaths.Lanes(width);
        var a = new float[lanes];
        var b = new float[lanes];
        for (int i = 0; i < x.Length; i += lanes)
        {
            for (int k = 0; k < lanes; k++)
            {
                a[k] = x[Math.Min(i + k, x.Length - 1)];
                b[k] = d[Math.Min(i + k, x.Length - 1)];
            }
            switch (width)
            {
                case "512": TOp.Invoke(Vector512.Create(a), Vector512.Create(b)).CopyTo(a); break;
                case "256": TOp.Invoke(Vector256.Create(a), Vector256.Create(b)).CopyTo(a); break;
                case "128": TOp.Invoke(Vector128.Create(a), Vector128.Create(b)).CopyTo(a); break;
                default: a[0] = TOp.Invoke(a[0], b[0]); break;
            }
            for (int k = 0; k < lanes && i + k < x.Length; k++)
                y[i + k] = a[k];
        }
        return y;
    }


    /// <summary>One ulp of the float nearest <paramref name="exact"/>: 2^(e−23) for 2^e ≤ |exact| &lt; 2^(e+1), and 2⁻¹⁴⁹ below 2⁻¹²⁶.</summary>
    public static double Ulp(double exact) =>
        exact == 0 || Math.Abs(exact) < Math.Pow(2, -126) ? Math.Pow(2, -149) : Math.Pow(2, Math.Max(Math.ILogB(Math.Abs((double)(float)exact)), -126) - 23);

    /// <summary>The largest error in ulps of <paramref name="actual"/> against the reference (infinite references must be met exactly).</summary>
    public static (double Ulps, int At) WorstUlps(float[] x, float[]? d, float[] actual, Func<double, double, double> reference, double perDelta = 0)
    {
        double worst = 0;
        int at = -1;
        for (int k = 0; k < x.Length; k++)
        {
            double exact = reference(x[k], d is null ? 0 : d[k]);
            double error;
            if (double.IsInfinity(exact) || (float)exact is float.PositiveInfinity or float.NegativeInfinity)
                error = actual[k] == (float)exact ? 0 : double.PositiveInfinity;
            else
                error = Math.Max(0, Math.Abs(actual[k] - exact) - (d is null ? 0 : Math.Abs(d[k]) * perDelta)) / Ulp(exact);
            if (!(error <= worst))
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                at = k;
            }
        }
        return (worst, at);
    }

    private static void AssertWithin(double bound, float[] x, float[]? d, float[] actual, Func<double, double, double> reference, string what, double perDelta = 0)
    {
        var (ulps, at) = WorstUlps(x, d, actual, reference, perDelta);
        if (Environment.GetEnvironmentVariable("NETGEN_ULPS") is { } file)
            System.IO.File.AppendAllText(file, $"{what}: {ulps:F3} (AVX-512 {System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}, AVX {System.Runtime.Intrinsics.X86.Avx.IsSupported})\n");
        if (!(ulps <= bound))
            Assert.Fail($"{what}: {ulps:G4} ulps at x = {x[at]:R}{(d is null ? "" : $", δ = {d[at]:R}")}: {actual[at]:R}, exact {reference(x[at], d is null ? 0 : d[at]):R} (bound {bound} ulps)");
    }

    /// <summary>The float64 maths, written in the stable forms (no cancellation anywhere).</summary>
    public static class Reference
    {
        public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

        /// <summary>log(1 + x): its series below 0.1 (20 terms, truncation below 10⁻²²), where log(1 + x) would lose up to
        /// 10⁻¹⁶/x of its value to the rounding of 1 + x; above, that loss is at most 1.2·10⁻¹⁵ relative.</summary>
        public static double Log1P(double x)
        {
            if (!(Math.Abs(x) < 0.1))
                return Math.Log(1 + x);
            double sum = 0;
            for (int k = 20; k >= 1; k--)
                sum = x * (1.0 / k - sum);
            return sum;
        }

        public static double Softplus(double z) => double.IsPositiveInfinity(z) ? z : Math.Max(z, 0) + Log1P(Math.Exp(-Math.Abs(z)));
    }
}
