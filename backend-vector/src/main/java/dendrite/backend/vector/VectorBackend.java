package dendrite.backend.vector;

import dendrite.tensor.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.BinaryOp;
import dendrite.tensor.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.Check;
import dendrite.tensor.spi.HeapBackend;
import dendrite.tensor.spi.CounterRandom;
import dendrite.tensor.spi.HeapStorage;

/**
 * The vector backend: heap {@code float[]} tensors like the scalar backend, with every kernel
 * written with the Java Vector API and large ones split over a thread pool.
 *
 * <p>Each method validates its arguments with {@link Check} (the same messages as every backend),
 * fetches the arrays with {@link HeapStorage#array(Backend, Tensor)}, and runs a kernel from
 * {@link VectorGemm}, {@link VectorElementwise}, {@link VectorReductions},
 * {@link VectorActivations} or {@link VectorOptimizers}. Work is split into parts only above a
 * size where waking a second thread pays, and always by the size alone, so results are the same
 * on every run with the same thread count (reductions over a whole tensor even on any count).
 *
 * <p>Made by {@link VectorBackendProvider} once the probe passed; requires
 * {@code --add-modules jdk.incubator.vector}. Safe to share between threads.
 */
public final class VectorBackend extends HeapBackend {
    /** Elements per part for cheap elementwise work (a few cycles each): below, one thread. */
    private static final int GRAIN = 1 << 16;
    /** Elements per part for work with a transcendental function (tens of cycles each). */
    private static final int GRAIN_HEAVY = 1 << 13;
    /** Fixed chunk of a whole-tensor reduction: partial sums are combined in chunk order. */
    private static final int REDUCE_CHUNK = 1 << 15;

    private final Parallel parallel;
    private final VectorGemm gemm;
    private final String description;

    /** A backend with {@code -Ddendrite.threads} threads, or one per available processor. */
    public VectorBackend() {
        this(Parallel.configuredThreads());
    }

    /** A backend with the given number of threads (at least 1). */
    public VectorBackend(int threads) {
        this.parallel = new Parallel(threads);
        this.gemm = new VectorGemm(parallel, CacheSizes.detect());
        int bits = Simd.preferredBits();
        this.description = (bits == 512 ? "AVX-512" : bits == 256 ? "AVX2" : bits + "-bit SIMD") + ": " + Simd.L
                + " float lanes, " + (Simd.FMA ? "FMA" : "no FMA") + ", " + parallel.threads()
                + (parallel.threads() == 1 ? " thread" : " threads") + " (GEMM " + gemm.blocking() + ")";
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "VectorBackend[" + description + "]";
    }

    /** Shuts the thread pool down; kernels called afterwards run on the caller's thread. */
    @Override
    public void close() {
        parallel.close();
    }


    /** A range body: the kernel applied to elements [from, to). */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /**
     * Whether {@code work} elements make a single part: then the caller runs its kernel itself and
     * creates no lambda. A capturing lambda handed to {@link #split} is allocated on every call, even
     * when split runs it at once, because C2's escape analysis keeps an allocation that escapes on
     * any path (here, to the thread pool); in a training step those lambdas were most of the 2.4 KB
     * allocated per step.
     */
    private boolean serial(long work, int grain) {
        return parallel.parts(work, grain) == 1;
    }

    /** Runs {@code body} over [0, n) in parts of at least {@code grain} elements (vector-aligned). */
    private void split(int n, int grain, Range body) {
        int parts = parallel.parts(n, grain);
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        int step = (n / parts + Simd.L - 1) / Simd.L * Simd.L;
        parallel.run(parts, p -> body.run(Math.min(n, p * step), p == parts - 1 ? n : Math.min(n, (p + 1) * step)));
    }

    /** Splits {@code rows} rows of {@code cols} elements over threads by whole rows. */
    private void splitRows(int rows, int cols, int grain, Range body) {
        int parts = parallel.parts((long) rows * cols, grain);
        parts = Math.min(parts, rows);
        if (parts <= 1) {
            body.run(0, rows);
            return;
        }
        int count = parts;
        parallel.run(count, p -> body.run((int) ((long) rows * p / count), (int) ((long) rows * (p + 1) / count)));
    }

    // ------------------------------------------------------------------ memory

    // allocate, read and write: HeapBackend

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int k = Check.gemmInner(this, transA, transB, a, b, c);
        gemm.gemm(transA, transB, c.dim(0), c.dim(1), k, alpha, array(a), a.offset(), array(b), b.offset(),
                beta, array(c), c.offset(), null, 0, Activation.IDENTITY, 0f);
    }

    /** {@code out = act(x w^T + bias)} in one pass: bias and activation are applied as each tile is stored. */
    @Override
    public void linear(Tensor x, Tensor w, Tensor bias, Activation act, float actParam, Tensor out) {
        int k = Check.linearInner(this, x, w, bias, out);
        gemm.gemm(false, true, out.dim(0), out.dim(1), k, 1f, array(x), x.offset(), array(w), w.offset(),
                0f, array(out), out.offset(), bias == null ? null : array(bias), bias == null ? 0 : bias.offset(),
                act, actParam);
    }

    /** Transposes in 32 x 32 blocks, so both the reads and the writes stay within a few cache lines. */
    @Override
    public void transpose(Tensor a, Tensor out) {
        Check.transpose(this, a, out);
        int m = a.dim(0);
        int n = a.dim(1);
        float[] src = array(a);
        float[] dst = array(out);
        int so = a.offset();
        int dso = out.offset();
        int block = 32;
        splitRows(m, n, GRAIN, (r0, r1) -> {
            for (int i0 = r0; i0 < r1; i0 += block) {
                int i1 = Math.min(r1, i0 + block);
                for (int j0 = 0; j0 < n; j0 += block) {
                    int j1 = Math.min(n, j0 + block);
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            dst[dso + j * m + i] = src[so + i * n + j];
                        }
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Check.sameShape(this, op.label(), x, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        int grain = op == UnaryOp.EXP || op == UnaryOp.LOG ? GRAIN_HEAVY : GRAIN;
        if (serial(x.size(), grain)) {
            VectorElementwise.unary(op, x.size(), xs, xo, os, oo);
        } else {
            split(x.size(), grain, (from, to) -> VectorElementwise.unary(op, to - from, xs, xo + from, os, oo + from));
        }
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Check.sameShape(this, "affine", x, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(x.size(), GRAIN)) {
            VectorElementwise.affine(x.size(), xs, xo, alpha, beta, os, oo);
        } else {
            split(x.size(), GRAIN, (from, to) -> VectorElementwise.affine(to - from, xs, xo + from, alpha, beta, os, oo + from));
        }
    }

    @Override
    public void powScalar(Tensor x, float p, Tensor out) {
        Check.sameShape(this, "pow", x, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(x.size(), GRAIN_HEAVY)) {
            VectorElementwise.powScalar(x.size(), xs, xo, p, os, oo);
        } else {
            split(x.size(), GRAIN_HEAVY, (from, to) -> VectorElementwise.powScalar(to - from, xs, xo + from, p, os, oo + from));
        }
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        Check.sameShape(this, "clamp", x, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(x.size(), GRAIN)) {
            VectorElementwise.clamp(x.size(), xs, xo, lo, hi, os, oo);
        } else {
            split(x.size(), GRAIN, (from, to) -> VectorElementwise.clamp(to - from, xs, xo + from, lo, hi, os, oo + from));
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Broadcast bc = Check.binary(this, op.label(), a, b, out);
        float[] as = array(a);
        float[] bs = array(b);
        float[] os = array(out);
        int ao = a.offset();
        int bo = b.offset();
        int oo = out.offset();
        int grain = op == BinaryOp.POW ? GRAIN_HEAVY : GRAIN;
        int rows = a.shape().leading();
        int cols = a.shape().last();
        if (serial(a.size(), grain)) {
            switch (bc) {
                case SAME -> VectorElementwise.binary(op, a.size(), as, ao, bs, bo, os, oo);
                case SCALAR -> VectorElementwise.binaryScalar(op, a.size(), as, ao, bs[bo], os, oo);
                case ROW -> binaryRows(op, 0, rows, cols, as, ao, bs, bo, os, oo);
                case COLUMN -> binaryColumns(op, 0, rows, cols, as, ao, bs, bo, os, oo);
            }
            return;
        }
        switch (bc) {
            case SAME -> split(a.size(), grain,
                    (from, to) -> VectorElementwise.binary(op, to - from, as, ao + from, bs, bo + from, os, oo + from));
            case SCALAR -> {
                float s = bs[bo];
                split(a.size(), grain,
                        (from, to) -> VectorElementwise.binaryScalar(op, to - from, as, ao + from, s, os, oo + from));
            }
            case ROW -> splitRows(rows, cols, grain, (r0, r1) -> binaryRows(op, r0, r1, cols, as, ao, bs, bo, os, oo));
            case COLUMN -> splitRows(rows, cols, grain,
                    (r0, r1) -> binaryColumns(op, r0, r1, cols, as, ao, bs, bo, os, oo));
        }
    }

    /** Rows r0 .. r1 of {@code a op b}, b one row broadcast down the rows. */
    private static void binaryRows(BinaryOp op, int r0, int r1, int cols, float[] as, int ao, float[] bs, int bo,
            float[] os, int oo) {
        for (int r = r0; r < r1; r++) {
            VectorElementwise.binary(op, cols, as, ao + r * cols, bs, bo, os, oo + r * cols);
        }
    }

    /** Rows r0 .. r1 of {@code a op b}, b one column broadcast across the columns. */
    private static void binaryColumns(BinaryOp op, int r0, int r1, int cols, float[] as, int ao, float[] bs, int bo,
            float[] os, int oo) {
        for (int r = r0; r < r1; r++) {
            VectorElementwise.binaryScalar(op, cols, as, ao + r * cols, bs[bo + r], os, oo + r * cols);
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Check.ReduceDims d = Check.reduce(this, op.label(), x, axis, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        int outer = d.outer();
        int len = d.len();
        int inner = d.inner();
        if (outer == 1 && inner == 1) {
            os[oo] = reduceLine(op, xs, xo, len);
        } else if (inner == 1) {
            if (serial((long) outer * len, GRAIN)) {
                lines(op, 0, outer, len, xs, xo, os, oo);
            } else {
                splitRows(outer, len, GRAIN, (o0, o1) -> lines(op, o0, o1, len, xs, xo, os, oo));
            }
        } else if (outer == 1) {
            // Reducing the first axis (a bias gradient over the batch): split the columns.
            int grain = Math.max(Simd.L, GRAIN / len);
            if (serial(inner, grain)) {
                VectorReductions.columns(op, 0, 1, 0, inner, len, inner, xs, xo, os, oo);
            } else {
                split(inner, grain, (i0, i1) -> VectorReductions.columns(op, 0, 1, i0, i1, len, inner, xs, xo, os, oo));
            }
        } else if (serial((long) outer * len * inner, GRAIN)) {
            VectorReductions.columns(op, 0, outer, 0, inner, len, inner, xs, xo, os, oo);
        } else {
            splitRows(outer, len * inner, GRAIN,
                    (o0, o1) -> VectorReductions.columns(op, o0, o1, 0, inner, len, inner, xs, xo, os, oo));
        }
    }

    /** Reduces lines o0 .. o1 of {@code len} contiguous elements each. */
    private static void lines(ReduceOp op, int o0, int o1, int len, float[] xs, int xo, float[] os, int oo) {
        for (int o = o0; o < o1; o++) {
            os[oo + o] = VectorReductions.line(op, xs, xo + o * len, len);
        }
    }

    @Override
    public void reduceAll(ReduceOp op, Tensor x, Tensor out) {
        Check.reduceAll(this, op.label(), x, out);
        array(out)[out.offset()] = reduceLine(op, array(x), x.offset(), x.size());
    }

    /**
     * One long line: partial results of fixed {@link #REDUCE_CHUNK}-element chunks, computed in
     * parallel and combined in chunk order, so the result does not depend on the thread count.
     */
    private float reduceLine(ReduceOp op, float[] x, int off, int len) {
        if (len <= REDUCE_CHUNK) {
            return VectorReductions.line(op, x, off, len);
        }
        ReduceOp partOp = op == ReduceOp.MEAN ? ReduceOp.SUM : op;
        int chunks = (len + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        float[] partial = new float[chunks];
        splitRows(chunks, REDUCE_CHUNK, GRAIN, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int from = c * REDUCE_CHUNK;
                partial[c] = VectorReductions.line(partOp, x, off + from, Math.min(len, from + REDUCE_CHUNK) - from);
            }
        });
        float r = partial[0];
        for (int c = 1; c < chunks; c++) {
            r = op == ReduceOp.MAX ? Math.max(r, partial[c]) : r + partial[c];
        }
        return op == ReduceOp.MEAN ? r / len : r;
    }

    // ------------------------------------------------------------------ rows

    @Override
    public void softmax(Tensor x, Tensor out) {
        Check.sameShape(this, "softmax", x, out);
        Shape s = x.shape();
        float[] xs = array(x);
        float[] os = array(out);
        int cols = s.last();
        int rows = s.leading();
        if (serial((long) rows * cols, GRAIN_HEAVY)) {
            VectorReductions.softmax(0, rows, cols, xs, x.offset(), os, out.offset());
        } else {
            splitRows(rows, cols, GRAIN_HEAVY, (r0, r1) -> VectorReductions.softmax(r0, r1, cols, xs, x.offset(), os, out.offset()));
        }
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        Check.sameShape(this, "logSoftmax", x, out);
        Shape s = x.shape();
        float[] xs = array(x);
        float[] os = array(out);
        int cols = s.last();
        int rows = s.leading();
        if (serial((long) rows * cols, GRAIN_HEAVY)) {
            VectorReductions.logSoftmax(0, rows, cols, xs, x.offset(), os, out.offset());
        } else {
            splitRows(rows, cols, GRAIN_HEAVY, (r0, r1) -> VectorReductions.logSoftmax(r0, r1, cols, xs, x.offset(), os, out.offset()));
        }
    }

    @Override
    public void argmax(Tensor x, Tensor out) {
        Check.argmax(this, x, out);
        Shape s = x.shape();
        float[] xs = array(x);
        float[] os = array(out);
        int cols = s.last();
        int rows = s.leading();
        if (serial((long) rows * cols, GRAIN)) {
            VectorReductions.argmax(0, rows, cols, xs, x.offset(), os, out.offset());
        } else {
            splitRows(rows, cols, GRAIN, (r0, r1) -> VectorReductions.argmax(r0, r1, cols, xs, x.offset(), os, out.offset()));
        }
    }

    /**
     * {@code out[i, j] = (j == labels[i]) ? on : off}. Every label is checked before anything is
     * written: one that is not a whole number in [0, classes) throws, naming it and its position.
     */
    @Override
    public void oneHot(Tensor labels, float on, float off, Tensor out) {
        int classes = Check.oneHot(this, labels, out);
        float[] l = array(labels);
        int lo = labels.offset();
        int n = labels.size();
        checkLabels(labels, classes);
        float[] o = array(out);
        int oo = out.offset();
        VectorElementwise.fill(n * classes, o, oo, off);
        for (int i = 0; i < n; i++) {
            o[oo + i * classes + (int) l[lo + i]] = on;
        }
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, Tensor x, Tensor out) {
        Check.sameShape(this, act.label(), x, out);
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        boolean heavy = act != Activation.RELU && act != Activation.LEAKY_RELU && act != Activation.IDENTITY;
        int grain = heavy ? GRAIN_HEAVY : GRAIN;
        if (serial(x.size(), grain)) {
            VectorActivations.forward(act, param, x.size(), xs, xo, os, oo);
        } else {
            split(x.size(), grain, (from, to) -> VectorActivations.forward(act, param, to - from, xs, xo + from, os, oo + from));
        }
    }

    /**
     * {@code dx = dy * act'(x)}. Only the tensor the derivative needs must be given (x for leaky
     * ReLU and GELU, y for ReLU, sigmoid, tanh and softplus, neither for identity).
     */
    @Override
    public void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = act.backwardLabel();
        Check.allSameShape(this, op, dy, dx, x, y);
        if (act != Activation.IDENTITY) {
            boolean needsX = VectorActivations.backwardNeedsInput(act);
            if (needsX && x == null) {
                throw new IllegalArgumentException(op + ": needs the forward input x, which is null");
            }
            if (!needsX && y == null) {
                throw new IllegalArgumentException(op + ": needs the forward output y, which is null");
            }
        }
        float[] xs = x == null ? null : array(x);
        float[] ys = y == null ? null : array(y);
        int xo = x == null ? 0 : x.offset();
        int yo = y == null ? 0 : y.offset();
        float[] dys = array(dy);
        float[] dxs = array(dx);
        int dyo = dy.offset();
        int dxo = dx.offset();
        int grain = act == Activation.GELU || act == Activation.SOFTPLUS ? GRAIN_HEAVY : GRAIN;
        if (serial(dy.size(), grain)) {
            VectorActivations.backward(act, param, dy.size(), xs, xo, ys, yo, dys, dyo, dxs, dxo);
        } else {
            split(dy.size(), grain, (from, to) -> VectorActivations.backward(act, param, to - from,
                    xs, xo + from, ys, yo + from, dys, dyo + from, dxs, dxo + from));
        }
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Check.allSameShape(this, "sgd", param, grad, velocity);
        if (momentum != 0f && velocity == null) {
            throw new IllegalArgumentException("sgd: momentum " + momentum + " needs a velocity tensor, got null");
        }
        float[] p = array(param);
        float[] g = array(grad);
        float[] v = velocity == null ? null : array(velocity);
        int vo = velocity == null ? 0 : velocity.offset();
        if (serial(param.size(), GRAIN)) {
            VectorOptimizers.sgd(0, param.size(), p, param.offset(), g, grad.offset(), v, vo, lr, momentum, weightDecay,
                    nesterov);
        } else {
            split(param.size(), GRAIN, (from, to) -> VectorOptimizers.sgd(from, to, p, param.offset(), g, grad.offset(),
                    v, vo, lr, momentum, weightDecay, nesterov));
        }
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, long t) {
        requireState("adam", m, v);
        Check.allSameShape(this, "adam", param, grad, m, v);
        if (t < 1) {
            throw new IllegalArgumentException("adam: step t = " + t + " must be at least 1");
        }
        float c1 = (float) (1.0 - Math.pow(beta1, t));
        float c2 = (float) (1.0 - Math.pow(beta2, t));
        float[] p = array(param);
        float[] g = array(grad);
        float[] ms = array(m);
        float[] vs = array(v);
        if (serial(param.size(), GRAIN_HEAVY)) {
            VectorOptimizers.adam(0, param.size(), p, param.offset(), g, grad.offset(), ms, m.offset(), vs, v.offset(),
                    lr, beta1, beta2, eps, weightDecay, decoupled, c1, c2);
        } else {
            split(param.size(), GRAIN_HEAVY, (from, to) -> VectorOptimizers.adam(from, to, p, param.offset(), g,
                    grad.offset(), ms, m.offset(), vs, v.offset(), lr, beta1, beta2, eps, weightDecay, decoupled, c1, c2));
        }
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps,
            float weightDecay) {
        requireState("rmsprop", sq);
        Check.allSameShape(this, "rmsprop", param, grad, sq);
        float[] p = array(param);
        float[] g = array(grad);
        float[] s = array(sq);
        if (serial(param.size(), GRAIN_HEAVY)) {
            VectorOptimizers.rmsprop(0, param.size(), p, param.offset(), g, grad.offset(), s, sq.offset(), lr, alpha,
                    eps, weightDecay);
        } else {
            split(param.size(), GRAIN_HEAVY, (from, to) -> VectorOptimizers.rmsprop(from, to, p, param.offset(), g,
                    grad.offset(), s, sq.offset(), lr, alpha, eps, weightDecay));
        }
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay) {
        requireState("adagrad", sum);
        Check.allSameShape(this, "adagrad", param, grad, sum);
        float[] p = array(param);
        float[] g = array(grad);
        float[] s = array(sum);
        if (serial(param.size(), GRAIN_HEAVY)) {
            VectorOptimizers.adagrad(0, param.size(), p, param.offset(), g, grad.offset(), s, sum.offset(), lr, eps,
                    weightDecay);
        } else {
            split(param.size(), GRAIN_HEAVY, (from, to) -> VectorOptimizers.adagrad(from, to, p, param.offset(), g,
                    grad.offset(), s, sum.offset(), lr, eps, weightDecay));
        }
    }

    private static void requireState(String op, Tensor... state) {
        for (Tensor s : state) {
            if (s == null) {
                throw new IllegalArgumentException(op + ": optimizer state tensor is null");
            }
        }
    }

    // ------------------------------------------------------------------ fill, copy, random

    @Override
    public void fill(Tensor t, float value) {
        Check.owned(this, t);
        float[] a = array(t);
        int off = t.offset();
        if (serial(t.size(), GRAIN)) {
            VectorElementwise.fill(t.size(), a, off, value);
        } else {
            split(t.size(), GRAIN, (from, to) -> VectorElementwise.fill(to - from, a, off + from, value));
        }
    }

    /** {@code out[i] = lo + (hi - lo) * U(seed, i)}: the counter makes every part independent of the others. */
    @Override
    public void randomUniform(long seed, float lo, float hi, Tensor out) {
        Check.owned(this, out);
        float[] o = array(out);
        int off = out.offset();
        split(out.size(), GRAIN_HEAVY, (from, to) -> {
            for (int i = from; i < to; i++) {
                o[off + i] = lo + (hi - lo) * CounterRandom.uniform(seed, i);
            }
        });
    }

    /** {@code out[i] = mean + std * N(seed, i)}. */
    @Override
    public void randomNormal(long seed, float mean, float std, Tensor out) {
        Check.owned(this, out);
        float[] o = array(out);
        int off = out.offset();
        split(out.size(), GRAIN_HEAVY, (from, to) -> {
            for (int i = from; i < to; i++) {
                o[off + i] = mean + std * CounterRandom.normal(seed, i);
            }
        });
    }

    /** {@code out[i] = U(seed, i) < keep ? scale : 0}. */
    @Override
    public void bernoulliMask(long seed, float keep, float scale, Tensor out) {
        Check.probability("bernoulliMask", keep);
        Check.owned(this, out);
        float[] o = array(out);
        int off = out.offset();
        split(out.size(), GRAIN_HEAVY, (from, to) -> {
            for (int i = from; i < to; i++) {
                o[off + i] = CounterRandom.uniform(seed, i) < keep ? scale : 0f;
            }
        });
    }
}
