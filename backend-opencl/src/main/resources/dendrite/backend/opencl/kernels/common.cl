// Shared by every program: prepended to each kernel source before it is built.
// The op codes (UNARY_*, BINARY_*, ACT_*, REDUCE_*) and the work-group sizes (WG, ROW_WG) come
// as -D options from ClPrograms, generated from the Java enums, so the two cannot drift apart.

// Java rounds every float operation; so do these kernels, so elementwise results match the scalar
// reference to the last bit where the math functions allow. The GEMM asks for fma() explicitly.
#pragma OPENCL FP_CONTRACT OFF

#ifdef HAS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// max/min that return NaN when either side is NaN (fmax/fmin would drop it).
inline float nan_max(float a, float b) { return (isnan(a) || a > b) ? a : b; }
inline float nan_min(float a, float b) { return (isnan(a) || a < b) ? a : b; }

// log(1 + e^x) without overflow for large x or loss of precision for very negative x.
inline float softplus_f(float x) { return fmax(x, 0.0f) + log1p(exp(-fabs(x))); }

// tanh that is exactly +-1 beyond |x| = 10, where float tanh rounds to +-1 anyway: PoCL 3.1's tanh
// returns 0.99999994 even at infinity.
inline float tanh_f(float x) { return fabs(x) > 10.0f ? copysign(1.0f, x) : tanh(x); }

inline float sigmoid_f(float x) { return 1.0f / (1.0f + exp(-x)); }

// SELU's scale and scale * alpha (PyTorch's constants), each rounded once to float.
#define SELU_POS 1.0507009873554805f
#define SELU_NEG 1.7580993408473766f

#define GELU_K 0.7978845608028654f  // sqrt(2 / pi)
#define GELU_A 0.044715f
#define GELU_SQRT1_2 0.7071067811865476f        // 1 / sqrt 2
#define GELU_INV_SQRT_2PI 0.3989422804014327f   // 1 / sqrt(2 pi), the normal density at 0

// The exact GELU is x Phi(x), Phi the normal distribution function. Phi is taken from its smaller
// tail h = erfc(|x| / sqrt 2) / 2: h for negative x, 1 - h otherwise. 0.5 (1 + erf(x / sqrt 2))
// would cancel for very negative x, where Phi is tiny but still has a relative precision to keep.
inline float normal_cdf(float x) {
    float h = 0.5f * erfc(fabs(x) * GELU_SQRT1_2);
    return x < 0.0f ? h : 1.0f - h;
}

// GELU_TANH(x) = 0.5 x (1 + tanh u) with u = sqrt(2/pi) (x + 0.044715 x^3). Since 1 + tanh u = 2 sigmoid(2u),
// it is x sigmoid(2u): written so, float keeps its relative precision for negative x, where
// 1 + tanh u would cancel (at x = -5 the tanh form loses 4 of float's 7 digits).
inline float gelu_u(float x) { return GELU_K * (x + GELU_A * x * x * x); }

// Mish's tanh(softplus(x)) = n / d without tanh or log: with t = e^-|x| (never overflowing), n = 1 + 2t
// and d = n + 2t^2 for x >= 0, n = t (t + 2) and d = n + 2 below. d - n is then the 2t^2 or 2 just added,
// so 1 - (n/d)^2 = (d - n)(d + n) / d^2 is free of cancellation where n/d nears 1.
inline float mish_gap(float x, float t) { return x >= 0.0f ? 2.0f * t * t : 2.0f; }
inline float mish_num(float x, float t) { return x >= 0.0f ? 1.0f + 2.0f * t : t * (t + 2.0f); }

inline float act_forward(int act, float p, float x) {
    switch (act) {
    case ACT_RELU:       return x > 0.0f ? x : (isnan(x) ? x : 0.0f);
    case ACT_LEAKY_RELU: return x > 0.0f ? x : p * x;
    case ACT_SIGMOID:    return sigmoid_f(x);
    case ACT_TANH:       return tanh_f(x);
    case ACT_GELU:       return x * normal_cdf(x);
    case ACT_GELU_TANH:  return x * sigmoid_f(2.0f * gelu_u(x));
    case ACT_SOFTPLUS:   return softplus_f(x);
    case ACT_SILU:       return x / (1.0f + exp(-x));  // PyTorch's form: NaN at -inf (-inf / inf)
    case ACT_ELU:        return x > 0.0f ? x : p * expm1(x);  // expm1: no cancellation near 0
    case ACT_SELU:       return x > 0.0f ? SELU_POS * x : SELU_NEG * expm1(x);
    case ACT_MISH: {     // NaN at -inf (-inf * 0), as PyTorch's
        float t = exp(-fabs(x));
        float n = mish_num(x, t);
        return x * (n / (n + mish_gap(x, t)));
    }
    case ACT_HARDSWISH:  return x * nan_min(nan_max(x + 3.0f, 0.0f), 6.0f) / 6.0f;  // NaN at -inf, as PyTorch's
    default:             return x;  // ACT_IDENTITY
    }
}

// dL/dx from dL/dy, reading x or y as Backend#activationBackward documents.
inline float act_backward(int act, float p, float x, float y, float dy) {
    switch (act) {
    case ACT_RELU:       return y > 0.0f ? dy : 0.0f;
    case ACT_LEAKY_RELU: return x > 0.0f ? dy : p * dy;
    case ACT_SIGMOID:    return dy * y * (1.0f - y);
    case ACT_TANH:       return dy * (1.0f - y * y);
    case ACT_SOFTPLUS:   return dy * -expm1(-y);  // sigmoid(x) = 1 - e^-y, accurate for tiny y
    case ACT_GELU:       // Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi)
        return dy * (normal_cdf(x) + x * exp(-0.5f * x * x) * GELU_INV_SQRT_2PI);
    case ACT_GELU_TANH: {
        // With t = tanh u: 0.5 (1 + t) = s = sigmoid(2u) and 1 - t^2 = 4 s (1 - s), (1 - s) = sigmoid(-2u),
        // so d/dx = s + 2 x s (1 - s) sqrt(2/pi) (1 + 3 a x^2), free of cancellation.
        float u = gelu_u(x);
        float s = sigmoid_f(2.0f * u);
        float sm = sigmoid_f(-2.0f * u);
        return dy * (s + 2.0f * x * s * sm * GELU_K * (1.0f + 3.0f * GELU_A * x * x));
    }
    case ACT_SILU: {     // s (1 + x (1 - s)), s = sigmoid(x): PyTorch's form, NaN at the infinities
        float s = sigmoid_f(x);
        return dy * (s * (1.0f + x * (1.0f - s)));
    }
    case ACT_ELU:        return dy * (x > 0.0f ? 1.0f : p * exp(x));  // p at 0, as PyTorch's; NaN at NaN
    case ACT_SELU:       return dy * (x > 0.0f ? SELU_POS : SELU_NEG * exp(x));
    case ACT_MISH: {     // q + x sigmoid(x) (1 - q^2), q = n / d: PyTorch's form, NaN at the infinities
        float t = exp(-fabs(x));
        float gap = mish_gap(x, t);
        float n = mish_num(x, t);
        float d = n + gap;
        float s = (x >= 0.0f ? 1.0f : t) / (1.0f + t);
        return dy * (n / d + x * s * (gap * (d + n) / (d * d)));
    }
    case ACT_HARDSWISH:  // the line x / 3 + 1/2 at both kinks, as PyTorch's scalar and CUDA kernels; NaN at NaN
        return dy * (x > 3.0f ? 1.0f : (x < -3.0f ? 0.0f : x / 3.0f + 0.5f));
    default:             return dy;  // ACT_IDENTITY
    }
}
