// Image kernels on NCHW planes: patch unfolding for convolution (im2col) and its adjoint (col2im),
// and 2-D pooling forward and backward. One work-item per output element everywhere, so every
// result is written by exactly one work-item: no atomics, and the same sums in the same order on
// every run. The order is also the reference's (backend-scalar's ScalarImages): each gather below
// visits its terms in the order the reference's scatter loops add them, so col2im and max pooling
// match it to the last bit (average pooling too, where the device divides correctly rounded).
//
// The geometry (dendrite.tensor.op.Conv2dGeometry) arrives as GEOMETRY_PARAMS, thirteen int
// arguments in the order Launch#geometry sets them, and is bundled into a struct for the helpers.
// The pooling op is POOL_MAX or POOL_AVG, -D macros generated from the Java enum PoolOp.
// For output pixel (oy, ox) and tap (ky, kx) the input pixel read is
//   iy = oy * stride_h - pad_h + ky * dil_h,   ix = ox * stride_w - pad_w + kx * dil_w;
// one outside the image is padding.

typedef struct {
    int channels, height, width;   // of one input image
    int kh, kw;                    // kernel (window) size
    int sh, sw, ph, pw, dh, dw;    // stride, padding, dilation
    int oh, ow;                    // output size
} geometry;

#define GEOMETRY_PARAMS int channels, int height, int width, int kh, int kw, int sh, int sw, int ph, int pw, \
                        int dh, int dw, int oh, int ow
#define GEOMETRY {channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow}

inline int inside(geometry g, int iy, int ix) {
    return iy >= 0 && iy < g.height && ix >= 0 && ix < g.width;
}

// The output index along one axis whose tap k reads input index i, or -1 if none does:
// i = o * stride - pad + k * dil must hold for a whole o in [0, outs).
inline int reader(int i, int k, int stride, int pad, int dil, int outs) {
    int t = i + pad - k * dil;
    if (t < 0 || t % stride != 0) return -1;
    int o = t / stride;
    return o < outs ? o : -1;
}

// cols [patch, oh * ow] of one image and group: row (c, ky, kx), column (oy, ox); 0 in the padding.
// `n` is patch * oh * ow.
kernel void im2col(global const float* image, int io, global float* cols, int co, int n, int group,
                   int group_channels, GEOMETRY_PARAMS) {
    int i = get_global_id(0);
    if (i >= n) return;
    geometry g = GEOMETRY;
    int pixels = g.oh * g.ow;
    int row = i / pixels, p = i - row * pixels;
    int oy = p / g.ow, ox = p - oy * g.ow;
    int taps = g.kh * g.kw;
    int c = row / taps, k = row - c * taps;
    int ky = k / g.kw, kx = k - ky * g.kw;
    int iy = oy * g.sh - g.ph + ky * g.dh, ix = ox * g.sw - g.pw + kx * g.dw;
    int channel = group * group_channels + c;
    cols[co + i] = inside(g, iy, ix) ? image[io + (channel * g.height + iy) * g.width + ix] : 0.0f;
}

// image += fold(cols) for one group's channels, as a gather: each work-item owns one pixel of those
// channels and adds the column entries that read it, in increasing row (ky, kx) order as the
// reference's scatter does. `n` is group_channels * height * width.
kernel void col2im(global const float* cols, int co, global float* image, int io, int n, int group,
                   int group_channels, GEOMETRY_PARAMS) {
    int i = get_global_id(0);
    if (i >= n) return;
    geometry g = GEOMETRY;
    int plane = g.height * g.width;
    int c = i / plane, q = i - c * plane;
    int iy = q / g.width, ix = q - iy * g.width;
    int pixels = g.oh * g.ow;
    global const float* rows = cols + co + c * g.kh * g.kw * pixels;
    int at = io + (group * group_channels + c) * plane + q;
    float acc = image[at];
    for (int ky = 0; ky < g.kh; ky++) {
        int oy = reader(iy, ky, g.sh, g.ph, g.dh, g.oh);
        if (oy < 0) continue;
        for (int kx = 0; kx < g.kw; kx++) {
            int ox = reader(ix, kx, g.sw, g.pw, g.dw, g.ow);
            if (ox < 0) continue;
            acc += rows[(ky * g.kw + kx) * pixels + oy * g.ow + ox];
        }
    }
    image[at] = acc;
}

// The offset within its plane of the first largest input of window (oy, ox), in row-major window
// order; a NaN wins at once and padding never does. Every window holds at least one real pixel
// (the front keeps padding below the kernel), so the result is never -1.
inline int pool_winner(geometry g, global const float* plane, int oy, int ox) {
    int best = -1;
    float max = 0.0f;
    for (int ky = 0; ky < g.kh; ky++) {
        int iy = oy * g.sh - g.ph + ky * g.dh;
        for (int kx = 0; kx < g.kw; kx++) {
            int ix = ox * g.sw - g.pw + kx * g.dw;
            if (!inside(g, iy, ix)) continue;
            float v = plane[iy * g.width + ix];
            if (isnan(v)) return iy * g.width + ix;
            if (best < 0 || v > max) {
                best = iy * g.width + ix;
                max = v;
            }
        }
    }
    return best;
}

// out [planes, oh, ow] from x [planes, height, width], planes = batch * channels; `n` = planes * oh * ow.
// Max: the window's winner; avg: the sum of the real pixels over kh * kw (padding counts as zeros).
kernel void pool2d(global const float* x, int xo, global float* out, int oo, int n, int op,
                   GEOMETRY_PARAMS) {
    int i = get_global_id(0);
    if (i >= n) return;
    geometry g = GEOMETRY;
    int pixels = g.oh * g.ow;
    int p = i / pixels, q = i - p * pixels;
    int oy = q / g.ow, ox = q - oy * g.ow;
    global const float* plane = x + xo + p * g.height * g.width;
    float r;
    if (op == POOL_MAX) {
        r = plane[pool_winner(g, plane, oy, ox)];
    } else {
        r = 0.0f;
        for (int ky = 0; ky < g.kh; ky++) {
            for (int kx = 0; kx < g.kw; kx++) {
                int iy = oy * g.sh - g.ph + ky * g.dh, ix = ox * g.sw - g.pw + kx * g.dw;
                if (inside(g, iy, ix)) r += plane[iy * g.width + ix];
            }
        }
        r /= (float) (g.kh * g.kw);
    }
    out[oo + i] = r;
}

// dx [planes, height, width] (overwritten) from dOut [planes, oh, ow], as a gather: each work-item
// owns one input pixel and adds the gradient of every window covering it (max: only of the windows
// it wins, found again from x; avg: dOut / (kh * kw) of each). Taps are visited from the last to
// the first, so the covering windows come in increasing row-major (oy, ox) order, the order in
// which the reference's scatter adds them. `n` = planes * height * width.
kernel void pool2d_backward(global const float* x, int xo, global const float* d_out, int dOo, global float* dx,
                            int dxo, int n, int op, GEOMETRY_PARAMS) {
    int i = get_global_id(0);
    if (i >= n) return;
    geometry g = GEOMETRY;
    int plane_size = g.height * g.width;
    int p = i / plane_size, q = i - p * plane_size;
    int iy = q / g.width, ix = q - iy * g.width;
    global const float* plane = x + xo + p * plane_size;
    global const float* grads = d_out + dOo + p * g.oh * g.ow;
    float share = 1.0f / (float) (g.kh * g.kw);
    float acc = 0.0f;
    for (int ky = g.kh - 1; ky >= 0; ky--) {
        int oy = reader(iy, ky, g.sh, g.ph, g.dh, g.oh);
        if (oy < 0) continue;
        for (int kx = g.kw - 1; kx >= 0; kx--) {
            int ox = reader(ix, kx, g.sw, g.pw, g.dw, g.ow);
            if (ox < 0) continue;
            float d = grads[oy * g.ow + ox];
            if (op == POOL_AVG) {
                acc += d * share;
            } else if (pool_winner(g, plane, oy, ox) == q) {
                acc += d;
            }
        }
    }
    dx[dxo + i] = acc;
}

// Augmentation's moves: out[i, c, h, w] = x[i, c, h + dy, (flip ? width - 1 - w : w) + dx], 0 outside
// the image, with (dy, dx, flip) = moves[3i .. 3i + 2]. `n` is the batch's element count.
kernel void shift_images(global const float* x, int xo, global const int* moves, global float* out, int oo,
                         int n, int channels, int height, int width) {
    int i = get_global_id(0);
    if (i >= n) return;
    int w = i % width;
    int rest = i / width;
    int h = rest % height;
    int plane = rest / height;           // image * channels + channel
    int image = plane / channels;
    int sy = h + moves[3 * image];
    int sx = (moves[3 * image + 2] ? width - 1 - w : w) + moves[3 * image + 1];
    out[oo + i] = sy >= 0 && sy < height && sx >= 0 && sx < width ? x[xo + (plane * height + sy) * width + sx] : 0.0f;
}
