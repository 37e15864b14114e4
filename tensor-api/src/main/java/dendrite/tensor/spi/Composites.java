package dendrite.tensor.spi;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

/**
 * The fused kernels' defaults, each written with the primitives of {@link Kernels} alone, so a new
 * backend is correct before it is fast. Every formula here is the definition its fused kernel
 * documents, in the same order of float operations as the scalar reference where that is
 * possible (the optimizer updates match it bit for bit).
 *
 * <p>Temporaries are allocated per call and released when the call has issued its kernels. A
 * backend whose kernels run asynchronously must not hand a released buffer to a later kernel
 * before the earlier ones have finished with it; an in-order queue guarantees that.
 */
final class Composites {
    private Composites() {
    }

    /** Temporary storage for one composite call, released together. */
    private static final class Temps implements AutoCloseable {
        private final Kernels k;
        private final Storage[] held = new Storage[8];
        private int count;

        Temps(Kernels k) {
            this.k = k;
        }

        Slice of(int n) {
            Storage s = k.allocate(n);
            held[count++] = s;
            return new Slice(s, 0);
        }

        /** A single value, for a {@link Broadcast#SCALAR} operand. */
        Slice scalar(float value) {
            Slice s = of(1);
            k.fill(s, 1, value);
            return s;
        }

        @Override
        public void close() {
            for (int i = 0; i < count; i++) {
                held[i].release();
            }
        }
    }

    static void affine(Kernels k, int n, Slice x, float alpha, float beta, Slice out) {
        try (Temps t = new Temps(k)) {
            k.binary(BinaryOp.MUL, Broadcast.SCALAR, 1, n, x, t.scalar(alpha), out);
            k.binary(BinaryOp.ADD, Broadcast.SCALAR, 1, n, out, t.scalar(beta), out);
        }
    }

    static void pow(Kernels k, int n, Slice x, float p, Slice out) {
        try (Temps t = new Temps(k)) {
            k.binary(BinaryOp.POW, Broadcast.SCALAR, 1, n, x, t.scalar(p), out);
        }
    }

    static void clamp(Kernels k, int n, Slice x, float lo, float hi, Slice out) {
        try (Temps t = new Temps(k)) {
            k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, x, t.scalar(lo), out);
            k.binary(BinaryOp.MIN, Broadcast.SCALAR, 1, n, out, t.scalar(hi), out);
        }
    }

    /** {@code out = act(x w^T + bias)}: GEMM, then the bias down the rows, then the activation. */
    static void linear(Kernels k, int m, int n, int kk, Slice x, Slice w, Slice bias, Activation act, float actParam,
            Slice out) {
        k.gemm(false, true, m, n, kk, 1f, x, w, 0f, out);
        if (bias != null) {
            k.binary(BinaryOp.ADD, Broadcast.ROW, m, n, out, bias, out);
        }
        if (act != Activation.IDENTITY) {
            k.activation(act, actParam, m * n, out, out);
        }
    }

    /** One {@code gemm} per product, each on its own stretch of A, B and C. */
    static void batchedGemm(Kernels k, boolean transA, boolean transB, int batch, int m, int n, int kk, float alpha,
            Slice a, Slice b, float beta, Slice c) {
        for (int i = 0; i < batch; i++) {
            k.gemm(transA, transB, m, n, kk, alpha, at(a, i * m * kk), at(b, i * kk * n), beta, at(c, i * m * n));
        }
    }

    /** Each row less its largest value, exponentiated and divided by the sum (or its log subtracted). */
    static void softmax(Kernels k, int rows, int cols, Slice x, Slice out, boolean log) {
        try (Temps t = new Temps(k)) {
            Slice rowMax = t.of(rows);
            Slice rowSum = t.of(rows);
            k.reduce(ReduceOp.MAX, rows, cols, 1, x, rowMax);
            k.binary(BinaryOp.SUB, Broadcast.COLUMN, rows, cols, x, rowMax, out);
            if (log) {
                Slice e = t.of(rows * cols);
                k.unary(UnaryOp.EXP, rows * cols, out, e);
                k.reduce(ReduceOp.SUM, rows, cols, 1, e, rowSum);
                k.unary(UnaryOp.LOG, rows, rowSum, rowSum);
                k.binary(BinaryOp.SUB, Broadcast.COLUMN, rows, cols, out, rowSum, out);
            } else {
                k.unary(UnaryOp.EXP, rows * cols, out, out);
                k.reduce(ReduceOp.SUM, rows, cols, 1, out, rowSum);
                k.binary(BinaryOp.DIV, Broadcast.COLUMN, rows, cols, out, rowSum, out);
            }
        }
    }

    /**
     * Row statistics by reductions (the mean, then the mean of the squared deviations), the rows
     * shifted and scaled down their columns, then gamma and beta along them.
     */
    static void layerNorm(Kernels k, int rows, int cols, Slice x, Slice gamma, Slice beta, float eps, Slice out,
            Slice mean, Slice rstd) {
        try (Temps t = new Temps(k)) {
            Slice squares = t.of(rows * cols);
            k.reduce(ReduceOp.MEAN, rows, cols, 1, x, mean);
            k.binary(BinaryOp.SUB, Broadcast.COLUMN, rows, cols, x, mean, out);          // x - mean (out may be x)
            k.unary(UnaryOp.SQUARE, rows * cols, out, squares);
            k.reduce(ReduceOp.MEAN, rows, cols, 1, squares, rstd);                       // var
            k.affine(rows, rstd, 1f, eps, rstd);
            k.unary(UnaryOp.RSQRT, rows, rstd, rstd);                                     // 1 / sqrt(var + eps)
            k.binary(BinaryOp.MUL, Broadcast.COLUMN, rows, cols, out, rstd, out);
            if (gamma != null) {
                k.binary(BinaryOp.MUL, Broadcast.ROW, rows, cols, out, gamma, out);
            }
            if (beta != null) {
                k.binary(BinaryOp.ADD, Broadcast.ROW, rows, cols, out, beta, out);
            }
        }
    }

    /** xhat again from the statistics, then the row means of g and g xhat, and the column sums. */
    static void layerNormBackward(Kernels k, int rows, int cols, Slice x, Slice mean, Slice rstd, Slice gamma,
            Slice dy, Slice dx, Slice dgamma, Slice dbeta) {
        int n = rows * cols;
        try (Temps t = new Temps(k)) {
            Slice xhat = t.of(n);
            Slice tmp = t.of(n);
            Slice rowMean = t.of(rows);
            k.binary(BinaryOp.SUB, Broadcast.COLUMN, rows, cols, x, mean, xhat);
            k.binary(BinaryOp.MUL, Broadcast.COLUMN, rows, cols, xhat, rstd, xhat);
            if (dgamma != null) {
                k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, dy, xhat, tmp);
                k.reduce(ReduceOp.SUM, 1, rows, cols, tmp, dgamma);                      // sum_rows dy xhat
            }
            if (dbeta != null) {
                k.reduce(ReduceOp.SUM, 1, rows, cols, dy, dbeta);                        // sum_rows dy
            }
            if (gamma != null) {
                k.binary(BinaryOp.MUL, Broadcast.ROW, rows, cols, dy, gamma, dx);        // g = dy gamma
            } else {
                k.copy(dy, dx, n);
            }
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, dx, xhat, tmp);
            k.reduce(ReduceOp.MEAN, rows, cols, 1, tmp, rowMean);                        // mean_j g xhat
            k.binary(BinaryOp.MUL, Broadcast.COLUMN, rows, cols, xhat, rowMean, tmp);
            k.reduce(ReduceOp.MEAN, rows, cols, 1, dx, rowMean);                         // mean_j g
            k.binary(BinaryOp.SUB, Broadcast.COLUMN, rows, cols, dx, rowMean, dx);
            k.binary(BinaryOp.SUB, Broadcast.SAME, 1, n, dx, tmp, dx);
            k.binary(BinaryOp.MUL, Broadcast.COLUMN, rows, cols, dx, rstd, dx);
        }
    }

    /** A slice {@code offset} elements further into the same storage. */
    private static Slice at(Slice s, int offset) {
        return new Slice(s.storage(), s.offset() + offset);
    }

    /**
     * Per image and group: unfold the patches ({@code im2col}), then one GEMM
     * {@code out_g [outC/g, outH*outW] = w_g [outC/g, patch] x cols [patch, outH*outW]}; the bias is
     * added per output channel afterwards.
     */
    static void conv2d(Kernels k, Conv2dGeometry g, Slice x, Slice w, Slice bias, Slice out) {
        int pixels = g.outH() * g.outW();
        int patch = g.patchSize();
        int oc = g.groupOutChannels();
        try (Temps t = new Temps(k)) {
            Slice cols = t.of(patch * pixels);
            for (int b = 0; b < g.batch(); b++) {
                Slice image = at(x, b * g.imageSize());
                for (int gi = 0; gi < g.groups(); gi++) {
                    k.im2col(g, gi, image, cols);
                    k.gemm(false, false, oc, pixels, patch, 1f, at(w, gi * oc * patch), cols, 0f,
                            at(out, b * g.outImageSize() + gi * oc * pixels));
                }
                if (bias != null) {
                    // out[b, c, :] += bias[c]: the image seen as [outChannels, pixels], bias as a column
                    k.binary(BinaryOp.ADD, Broadcast.COLUMN, g.outChannels(), pixels, at(out, b * g.outImageSize()),
                            bias, at(out, b * g.outImageSize()));
                }
            }
        }
    }

    /** Per image and group: {@code cols = w_g^T x dy_g}, folded back onto dx ({@code col2im}). */
    static void conv2dBackwardData(Kernels k, Conv2dGeometry g, Slice dy, Slice w, Slice dx) {
        int pixels = g.outH() * g.outW();
        int patch = g.patchSize();
        int oc = g.groupOutChannels();
        k.fill(dx, g.batch() * g.imageSize(), 0f);
        try (Temps t = new Temps(k)) {
            Slice cols = t.of(patch * pixels);
            for (int b = 0; b < g.batch(); b++) {
                for (int gi = 0; gi < g.groups(); gi++) {
                    k.gemm(true, false, patch, pixels, oc, 1f, at(w, gi * oc * patch),
                            at(dy, b * g.outImageSize() + gi * oc * pixels), 0f, cols);
                    k.col2im(g, gi, cols, at(dx, b * g.imageSize()));
                }
            }
        }
    }

    /**
     * Per image and group: {@code dw_g += dy_g x cols^T} (the first image overwrites); the bias
     * gradient sums dy over the batch and the pixels.
     */
    static void conv2dBackwardWeights(Kernels k, Conv2dGeometry g, Slice dy, Slice x, Slice dw, Slice dbias) {
        int pixels = g.outH() * g.outW();
        int patch = g.patchSize();
        int oc = g.groupOutChannels();
        try (Temps t = new Temps(k)) {
            Slice cols = t.of(patch * pixels);
            for (int b = 0; b < g.batch(); b++) {
                Slice image = at(x, b * g.imageSize());
                for (int gi = 0; gi < g.groups(); gi++) {
                    k.im2col(g, gi, image, cols);
                    k.gemm(false, true, oc, patch, pixels, 1f, at(dy, b * g.outImageSize() + gi * oc * pixels), cols,
                            b == 0 ? 0f : 1f, at(dw, gi * oc * patch));
                }
            }
            if (dbias != null) {
                // Sum over pixels per (image, channel), then over the images.
                Slice perImage = t.of(g.batch() * g.outChannels());
                k.reduce(ReduceOp.SUM, g.batch() * g.outChannels(), pixels, 1, dy, perImage);
                k.reduce(ReduceOp.SUM, 1, g.batch(), g.outChannels(), perImage, dbias);
            }
        }
    }

    /** GELU's tanh-form constant sqrt(2 / pi). */
    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_A = 0.044715f;
    /** 1 / sqrt(2 pi), the standard normal density at 0. */
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));
    /**
     * Numerical Recipes' {@code erfcc} (Press et al., 2nd ed., 6.2): erfc(z) = t exp(-z^2 + P(t)),
     * t = 1 / (1 + z / 2), for z >= 0, with P's coefficients from the constant term up. Its fractional
     * error is about float's rounding for every z, and it needs only exp, so the primitives can build it.
     */
    private static final float[] ERFC_P = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
        0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};

    /** {@code dx = dy * act'}, the derivative written with elementwise primitives. */
    static void activationBackward(Kernels k, Activation act, float param, int n, Slice x, Slice y, Slice dy,
            Slice dx) {
        if (act == Activation.IDENTITY) {
            if (!dy.equals(dx)) {
                k.copy(dy, dx, n);
            }
            return;
        }
        try (Temps t = new Temps(k)) {
            Slice d = t.of(n);   // act' at each element
            switch (act) {
                case RELU -> k.unary(UnaryOp.SIGN, n, y, d);                 // y >= 0: 1 where y > 0, else 0
                case LEAKY_RELU -> {
                    // 1 where x > 0, else the slope: slope + (1 - slope) * max(sign x, 0)
                    k.unary(UnaryOp.SIGN, n, x, d);
                    k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, d, t.scalar(0f), d);
                    k.affine(n, d, 1f - param, param, d);
                }
                case SIGMOID -> {                                            // y (1 - y)
                    k.affine(n, y, -1f, 1f, d);
                    k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, y, d);
                }
                case TANH -> {                                               // 1 - y^2
                    k.unary(UnaryOp.SQUARE, n, y, d);
                    k.affine(n, d, -1f, 1f, d);
                }
                case SOFTPLUS -> {                                           // sigmoid(x) = 1 - e^-y
                    k.unary(UnaryOp.NEG, n, y, d);
                    k.unary(UnaryOp.EXP, n, d, d);
                    k.affine(n, d, -1f, 1f, d);
                }
                case GELU -> geluDerivative(k, t, n, x, d);
                case GELU_TANH -> geluTanhDerivative(k, t, n, x, d);
                case SILU -> siluDerivative(k, t, n, x, d);
                case ELU -> eluDerivative(k, t, n, x, d, 1f, param);
                case SELU -> eluDerivative(k, t, n, x, d, (float) Activation.SELU_SCALE,
                        (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA));
                case MISH -> mishDerivative(k, t, n, x, d);
                case HARDSWISH -> hardswishDerivative(k, t, n, x, d);
                default -> throw new AssertionError(act);
            }
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, dy, d, dx);
        }
    }

    /**
     * {@code x > 0 ? pos : neg e^x} without a select: {@code m pos + (1 - m) neg e^min(x, 0)}, where
     * {@code m = max(sign x, 0)} is 1 above 0 and 0 elsewhere. e^min(x, 0) is at most 1, so the term a
     * side leaves out is 0, never an infinity times 0; a NaN stays NaN through the sign.
     */
    private static void eluDerivative(Kernels k, Temps t, int n, Slice x, Slice d, float pos, float neg) {
        Slice m = t.of(n);
        Slice r = t.of(n);
        k.unary(UnaryOp.SIGN, n, x, m);
        k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, m, t.scalar(0f), m);   // 1 where x > 0, else 0
        k.binary(BinaryOp.MIN, Broadcast.SCALAR, 1, n, x, t.scalar(0f), d);
        k.unary(UnaryOp.EXP, n, d, d);                                         // e^min(x, 0)
        k.affine(n, m, -neg, neg, r);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, r, d);                 // (1 - m) neg e^min(x, 0)
        k.affine(n, m, pos, 0f, r);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, r, d);
    }

    /**
     * {@code 0} below -3, {@code x / 3 + 1/2} up to 3, {@code 1} above, without a select:
     * {@code (1 - below - above) (c / 3 + 1/2) + above} with {@code below = max(sign(-3 - x), 0)},
     * {@code above = max(sign(x - 3), 0)} and {@code c} x clamped to [-3, 3], so that the part a side
     * leaves out is finite (at -inf too). At the kinks both masks are 0: -1/2 at -3 and 3/2 at 3,
     * PyTorch's. NaN stays NaN through the signs.
     */
    private static void hardswishDerivative(Kernels k, Temps t, int n, Slice x, Slice d) {
        Slice below = t.of(n);
        Slice above = t.of(n);
        k.affine(n, x, -1f, -3f, below);
        k.unary(UnaryOp.SIGN, n, below, below);
        k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, below, t.scalar(0f), below);   // 1 where x < -3, else 0
        k.affine(n, x, 1f, -3f, above);
        k.unary(UnaryOp.SIGN, n, above, above);
        k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, above, t.scalar(0f), above);   // 1 where x > 3, else 0
        k.clamp(n, x, -3f, 3f, d);
        k.affine(n, d, 1f / 3, 0.5f, d);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, below, above, below);
        k.affine(n, below, -1f, 1f, below);                                          // 1 in [-3, 3], else 0
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, below, d);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, above, d);
    }

    /**
     * {@code t + x s (1 - t^2)} with {@code t = tanh(softplus(x))} and {@code s = sigmoid(x)}, PyTorch's form,
     * from the backend's own softplus, tanh and sigmoid (activations are primitives).
     */
    private static void mishDerivative(Kernels k, Temps t, int n, Slice x, Slice d) {
        Slice th = t.of(n);
        Slice s = t.of(n);
        k.activation(Activation.SOFTPLUS, 0f, n, x, th);
        k.activation(Activation.TANH, 0f, n, th, th);                    // t = tanh(softplus(x))
        k.activation(Activation.SIGMOID, 0f, n, x, s);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, th, th, d);
        k.affine(n, d, -1f, 1f, d);                                      // 1 - t^2
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, s, d);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, x, d);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, th, d);
    }

    /**
     * {@code s (1 + x (1 - s))} with {@code s = 1 / (1 + e^-x)}, PyTorch's form: for very negative x,
     * e^-x overflows, s is 0 and so is the derivative.
     */
    private static void siluDerivative(Kernels k, Temps t, int n, Slice x, Slice d) {
        Slice s = t.of(n);
        k.unary(UnaryOp.NEG, n, x, s);
        k.unary(UnaryOp.EXP, n, s, s);
        k.affine(n, s, 1f, 1f, s);
        k.unary(UnaryOp.RECIPROCAL, n, s, s);                              // s = sigmoid(x)
        k.affine(n, s, -1f, 1f, d);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, x, d);
        k.affine(n, d, 1f, 1f, d);                                         // 1 + x (1 - s)
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, d, s, d);
    }

    /**
     * {@code Phi(x) + x phi(x)}. Phi comes from the smaller tail {@code h = erfc(|x| / sqrt 2) / 2}
     * as {@code h} for negative x and {@code 1 - h} otherwise, so for very negative x it keeps its
     * relative precision instead of cancelling in {@code 1 + erf}; written without a select, that is
     * {@code h + max(sign x, 0) (1 - 2 h)}. The exponent of erfc and of phi share {@code -x^2 / 2}.
     */
    private static void geluDerivative(Kernels k, Temps t, int n, Slice x, Slice d) {
        Slice minusHalfX2 = t.of(n);
        Slice tt = t.of(n);
        Slice p = t.of(n);
        k.unary(UnaryOp.SQUARE, n, x, minusHalfX2);
        k.affine(n, minusHalfX2, -0.5f, 0f, minusHalfX2);                  // -z^2 with z = |x| / sqrt 2
        k.unary(UnaryOp.ABS, n, x, tt);
        k.affine(n, tt, (float) (0.5 / Math.sqrt(2.0)), 1f, tt);
        k.unary(UnaryOp.RECIPROCAL, n, tt, tt);                            // t = 1 / (1 + z / 2)
        k.affine(n, tt, ERFC_P[9], ERFC_P[8], p);
        for (int i = 7; i >= 0; i--) {
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, p, tt, p);
            k.affine(n, p, 1f, ERFC_P[i], p);                               // P(t) by Horner's rule
        }
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, p, minusHalfX2, p);
        k.unary(UnaryOp.EXP, n, p, p);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, p, tt, p);            // erfc(z)
        k.affine(n, p, 0.5f, 0f, d);                                       // h
        k.affine(n, d, -2f, 1f, p);                                        // 1 - 2 h
        k.unary(UnaryOp.SIGN, n, x, tt);
        k.binary(BinaryOp.MAX, Broadcast.SCALAR, 1, n, tt, t.scalar(0f), tt);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, p, tt, p);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, p, d);             // Phi(x)
        k.unary(UnaryOp.EXP, n, minusHalfX2, minusHalfX2);
        k.affine(n, minusHalfX2, INV_SQRT_2PI, 0f, minusHalfX2);           // phi(x)
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, minusHalfX2, x, minusHalfX2);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, minusHalfX2, d);
    }

    /**
     * With {@code u = c (x + a x^3)}: {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) c (1 + 3 a x^2)}.
     */
    private static void geluTanhDerivative(Kernels k, Temps t, int n, Slice x, Slice d) {
        Slice x2 = t.of(n);
        Slice th = t.of(n);
        k.unary(UnaryOp.SQUARE, n, x, x2);
        k.affine(n, x2, GELU_C * GELU_A, GELU_C, th);                   // c (1 + a x^2)
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, th, x, th);        // u
        k.activation(Activation.TANH, 0f, n, th, th);                   // tanh u
        k.affine(n, x2, 3f * GELU_A * GELU_C, GELU_C, x2);              // c (1 + 3 a x^2), x2 reused
        k.affine(n, th, 0.5f, 0.5f, d);                                 // 0.5 (1 + tanh u)
        k.unary(UnaryOp.SQUARE, n, th, th);
        k.affine(n, th, -0.5f, 0.5f, th);                               // 0.5 (1 - tanh^2 u)
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, th, x2, th);
        k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, th, x, th);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, d, th, d);
    }

    /** {@code g' = g + wd * p} into {@code out} (g itself when there is no decay). */
    private static void decayedGradient(Kernels k, int n, Slice param, Slice grad, float weightDecay, Slice out) {
        if (weightDecay == 0f) {
            k.copy(grad, out, n);
            return;
        }
        k.affine(n, param, weightDecay, 0f, out);
        k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, grad, out, out);
    }

    /** {@code p -= step}. */
    private static void subtract(Kernels k, int n, Slice param, Slice step) {
        k.binary(BinaryOp.SUB, Broadcast.SAME, 1, n, param, step, param);
    }

    static void sgd(Kernels k, int n, Slice param, Slice grad, Slice velocity, float lr, float momentum,
            float weightDecay, boolean nesterov) {
        try (Temps t = new Temps(k)) {
            Slice g = t.of(n);
            decayedGradient(k, n, param, grad, weightDecay, g);
            if (momentum != 0f) {
                k.affine(n, velocity, momentum, 0f, velocity);
                k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, velocity, g, velocity);       // v = mu v + g'
                if (nesterov) {
                    Slice mv = t.of(n);
                    k.affine(n, velocity, momentum, 0f, mv);
                    k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, g, mv, g);                // g' + mu v
                } else {
                    k.copy(velocity, g, n);
                }
            }
            k.affine(n, g, lr, 0f, g);
            subtract(k, n, param, g);
        }
    }

    static void adam(Kernels k, int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float correction1, float correction2) {
        try (Temps t = new Temps(k)) {
            Slice g = t.of(n);
            Slice tmp = t.of(n);
            if (decoupled) {
                k.copy(grad, g, n);
                if (weightDecay != 0f) {
                    k.affine(n, param, lr * weightDecay, 0f, tmp);
                    subtract(k, n, param, tmp);                                            // p -= lr wd p
                }
            } else {
                decayedGradient(k, n, param, grad, weightDecay, g);
            }
            k.affine(n, m, beta1, 0f, m);
            k.affine(n, g, 1f - beta1, 0f, tmp);
            k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, m, tmp, m);                       // m = b1 m + (1-b1) g
            k.affine(n, g, 1f - beta2, 0f, tmp);
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, tmp, g, tmp);
            k.affine(n, v, beta2, 0f, v);
            k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, v, tmp, v);                       // v = b2 v + (1-b2) g g
            k.binary(BinaryOp.DIV, Broadcast.SCALAR, 1, n, v, t.scalar(correction2), tmp);
            k.unary(UnaryOp.SQRT, n, tmp, tmp);
            k.affine(n, tmp, 1f, eps, tmp);                                                // sqrt(v^) + eps
            k.binary(BinaryOp.DIV, Broadcast.SCALAR, 1, n, m, t.scalar(correction1), g);
            k.affine(n, g, lr, 0f, g);                                                     // lr m^
            k.binary(BinaryOp.DIV, Broadcast.SAME, 1, n, g, tmp, g);
            subtract(k, n, param, g);
        }
    }

    static void rmsprop(Kernels k, int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        try (Temps t = new Temps(k)) {
            Slice g = t.of(n);
            Slice tmp = t.of(n);
            decayedGradient(k, n, param, grad, weightDecay, g);
            k.affine(n, g, 1f - alpha, 0f, tmp);
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, tmp, g, tmp);
            k.affine(n, sq, alpha, 0f, sq);
            k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, sq, tmp, sq);                     // s = a s + (1-a) g g
            step(k, t, n, param, g, sq, lr, eps);
        }
    }

    static void adagrad(Kernels k, int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        try (Temps t = new Temps(k)) {
            Slice g = t.of(n);
            Slice tmp = t.of(n);
            decayedGradient(k, n, param, grad, weightDecay, g);
            k.binary(BinaryOp.MUL, Broadcast.SAME, 1, n, g, g, tmp);
            k.binary(BinaryOp.ADD, Broadcast.SAME, 1, n, sum, tmp, sum);                   // s += g g
            step(k, t, n, param, g, sum, lr, eps);
        }
    }

    /** {@code p -= lr g / (sqrt(s) + eps)}; overwrites g. */
    private static void step(Kernels k, Temps t, int n, Slice param, Slice g, Slice s, float lr, float eps) {
        Slice denom = t.of(n);
        k.unary(UnaryOp.SQRT, n, s, denom);
        k.affine(n, denom, 1f, eps, denom);
        k.affine(n, g, lr, 0f, g);
        k.binary(BinaryOp.DIV, Broadcast.SAME, 1, n, g, denom, g);
        subtract(k, n, param, g);
    }
}
