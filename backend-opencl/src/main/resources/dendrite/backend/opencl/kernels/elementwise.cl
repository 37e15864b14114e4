// Elementwise kernels: one work-item per element, launched with WG work-items per group and the
// global size rounded up, so each kernel checks i < n. Every tensor comes as (buffer, element offset).

// Math.pow's special cases where C's pow differs: a NaN exponent gives NaN, and so does 1 or -1
// to an infinite power.
inline float java_pow(float a, float b) {
    if (isnan(b)) return b;
    if (b == 0.0f) return 1.0f;
    if (isinf(b) && fabs(a) == 1.0f) return NAN;
    return pow(a, b);
}

// Math.signum: NaN stays NaN and zeros keep their sign (OpenCL's sign() maps NaN to 0).
inline float java_sign(float x) {
    return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x;
}

kernel void unary_op(global const float* x, int xo, global float* out, int oo, int n, int op) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xo + i];
    float r;
    switch (op) {
    case UNARY_NEG:        r = -v; break;
    case UNARY_EXP:        r = exp(v); break;
    case UNARY_LOG:        r = log(v); break;
    case UNARY_SQRT:       r = sqrt(v); break;
    case UNARY_ABS:        r = fabs(v); break;
    case UNARY_SQUARE:     r = v * v; break;
    case UNARY_RECIPROCAL: r = 1.0f / v; break;
    case UNARY_RSQRT:      r = 1.0f / sqrt(v); break;
    default:               r = java_sign(v); break;  // UNARY_SIGN
    }
    out[oo + i] = r;
}

kernel void affine(global const float* x, int xo, global float* out, int oo, int n, float alpha, float beta) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = alpha * x[xo + i] + beta;
}

kernel void pow_scalar(global const float* x, int xo, global float* out, int oo, int n, float p) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = java_pow(x[xo + i], p);
}

kernel void clamp_op(global const float* x, int xo, global float* out, int oo, int n, float lo, float hi) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = x[xo + i];
    out[oo + i] = isnan(v) ? v : fmin(fmax(v, lo), hi);
}

// b is indexed by the broadcast mode (dendrite.tensor.spi.Broadcast) over a seen as rows x cols.
kernel void binary_op(global const float* a, int ao, global const float* b, int bo, global float* out, int oo,
                      int n, int cols, int mode, int op) {
    int i = get_global_id(0);
    if (i >= n) return;
    int j = mode == BC_SAME ? i : mode == BC_ROW ? i % cols : mode == BC_COLUMN ? i / cols : 0;
    float x = a[ao + i];
    float y = b[bo + j];
    float r;
    switch (op) {
    case BINARY_ADD: r = x + y; break;
    case BINARY_SUB: r = x - y; break;
    case BINARY_MUL: r = x * y; break;
    case BINARY_DIV: r = x / y; break;
    case BINARY_POW: r = java_pow(x, y); break;
    case BINARY_MAX: r = nan_max(x, y); break;
    default:         r = nan_min(x, y); break;  // BINARY_MIN
    }
    out[oo + i] = r;
}

kernel void activation(global const float* x, int xo, global float* out, int oo, int n, int act, float p) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = act_forward(act, p, x[xo + i]);
}

// x or y may be absent when the activation does not need it; the caller then passes the other.
kernel void activation_backward(global const float* x, int xo, global const float* y, int yo,
                                global const float* dy, int dyo, global float* dx, int dxo,
                                int n, int act, float p) {
    int i = get_global_id(0);
    if (i >= n) return;
    dx[dxo + i] = act_backward(act, p, x[xo + i], y[yo + i], dy[dyo + i]);
}

kernel void fill(global float* out, int oo, int n, float value) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = value;
}

kernel void copy(global const float* x, int xo, global float* out, int oo, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    out[oo + i] = x[xo + i];
}
