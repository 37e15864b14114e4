package dendrite.backend.vector;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.HeapKernels;
import dendrite.tensor.spi.Slice;

/**
 * The vector backend's kernels: heap {@code float[]} storage like the scalar backend, with every
 * kernel written with the Java Vector API and large ones split over a thread pool.
 *
 * <p>The checked front, {@link dendrite.tensor.Backend}, validates every argument before it calls
 * a kernel here, so these methods check nothing (except the values of one-hot labels, which only
 * the kernel reads). Each one fetches the arrays behind its {@link Slice}s and runs a kernel from
 * {@link VectorGemm}, {@link VectorElementwise}, {@link VectorReductions}, {@link VectorNormalization},
 * {@link VectorActivations}, {@link VectorOptimizers}, {@link VectorImages} or
 * {@link VectorConvolutions}; it overrides every fused kernel of
 * {@link dendrite.tensor.spi.Kernels}: most with a single pass, the convolutions with im2col and a
 * GEMM per image and no temporary tensor. Work is split into parts only above a size where waking
 * a second thread pays, and always by the size alone, so results are the same on every run with
 * the same thread count (GEMM, convolutions and reductions over a whole tensor even on any count).
 *
 * <p>Made by {@link VectorBackendProvider} once the probe passed, or by
 * {@code Backend.of(new VectorKernels(threads))}; requires
 * {@code --add-modules jdk.incubator.vector}. Safe to share between threads.
 */
public final class VectorKernels extends HeapKernels {
    /** Elements per part for cheap elementwise work (a few cycles each): below, one thread. */
    private static final int GRAIN = 1 << 16;
    /** Elements per part for work with a transcendental function (tens of cycles each). */
    private static final int GRAIN_HEAVY = 1 << 13;
    /** Fixed chunk of a whole-tensor reduction: partial sums are combined in chunk order. */
    private static final int REDUCE_CHUNK = 1 << 15;

    private final Parallel parallel;
    private final VectorGemm gemm;
    private final VectorConvolutions convolutions;
    private final String description;

    /** Kernels with {@code -Ddendrite.threads} threads, or one per available processor. */
    public VectorKernels() {
        this(Parallel.configuredThreads());
    }

    /**
     * Kernels with the given number of threads (at least 1).
     *
     * @param threads the threads to run kernels on, the calling thread included; values below 1 are
     *        taken as 1 (no worker threads)
     */
    public VectorKernels(int threads) {
        this.parallel = new Parallel(threads);
        this.gemm = new VectorGemm(parallel, CacheSizes.detect());
        this.convolutions = new VectorConvolutions(parallel, gemm);
        int bits = Simd.preferredBits();
        this.description = (bits == 512 ? "AVX-512" : bits == 256 ? "AVX2" : bits + "-bit SIMD") + ": " + Simd.L
                + " float lanes, " + (Simd.FMA ? "FMA" : "no FMA") + ", " + parallel.threads()
                + (parallel.threads() == 1 ? " thread" : " threads") + " (GEMM " + gemm.blocking() + ")";
        VectorWarmup.startOnce();
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
        return "VectorKernels[" + description + "]";
    }

    /** Shuts the thread pool down; kernels called afterwards run on the caller's thread. */
    @Override
    public void close() {
        parallel.close();
    }


    /**
     * Whether {@code work} elements make a single part: then the caller runs its kernel itself. Split
     * over the pool, a kernel runs as this thread's reusable job ({@link RangeJobs}): a capturing
     * lambda would be allocated on every call, even when the pool runs it at once, because C2's
     * escape analysis keeps an allocation that escapes on any path (here, to the thread pool); in a
     * training step those lambdas were most of the 2.4 KB allocated per step.
     */
    private boolean serial(long work, int grain) {
        return parallel.parts(work, grain) == 1;
    }

    /** Runs {@code job} over elements [0, n) in parts of at least {@code grain} elements (vector-aligned). */
    private void split(int n, int grain, RangeJobs.RangeJob job) {
        job.runOn(parallel, n, parallel.parts(n, grain));
    }

    /** Runs {@code job} over {@code rows} rows of {@code cols} elements, by whole rows. */
    private void splitRows(int rows, int cols, int grain, RangeJobs.RangeJob job) {
        job.runOnRows(parallel, rows, Math.max(1, Math.min(parallel.parts((long) rows * cols, grain), rows)));
    }

    // ------------------------------------------------------------------ memory

    // allocate, write, read, copy and gatherRows: HeapKernels

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta,
            Slice c) {
        gemm.gemm(transA, transB, m, n, k, alpha, array(a), a.offset(), array(b), b.offset(),
                beta, array(c), c.offset(), null, 0, Activation.IDENTITY, 0f);
    }

    /** Small products go to the threads whole, large ones are split one at a time (see {@link VectorGemm#batchedGemm}). */
    @Override
    public void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Slice a,
            Slice b, float beta, Slice c) {
        gemm.batchedGemm(transA, transB, batch, m, n, k, alpha, array(a), a.offset(), array(b), b.offset(), beta,
                array(c), c.offset());
    }

    /** {@code out = act(x w^T + bias)} in one pass: bias and activation are applied as each tile is stored. */
    @Override
    public void linear(int m, int n, int k, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        gemm.gemm(false, true, m, n, k, 1f, array(x), x.offset(), array(w), w.offset(),
                0f, array(out), out.offset(), bias == null ? null : array(bias), bias == null ? 0 : bias.offset(),
                act, actParam);
    }

    /** The weights as they are (for the paths that read them in place), then all their GEMM panels. */
    @Override
    public int packedWeightsSize(int n, int k) {
        long size = (long) n * k + gemm.packedBSize(n, k);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("packWeights: weights [" + n + ", " + k + "] packed are " + size
                    + " floats, more than an array holds");
        }
        return (int) size;
    }

    @Override
    public void packWeights(int n, int k, Slice w, Slice dst) {
        float[] d = array(dst);
        System.arraycopy(array(w), w.offset(), d, dst.offset(), n * k);
        gemm.packB(true, n, k, d, dst.offset(), d, dst.offset() + n * k);
    }

    /** {@link #linear} reading B's panels where {@link #packWeights} left them: no packing per call. */
    @Override
    public void linearPacked(int m, int n, int k, Slice x, Slice packed, Slice bias, Activation act, float actParam,
            Slice out) {
        float[] p = array(packed);
        gemm.gemmPrepackedB(true, m, n, k, 1f, array(x), x.offset(), p, packed.offset(), p, packed.offset() + n * k,
                0f, array(out), out.offset(), bias == null ? null : array(bias), bias == null ? 0 : bias.offset(),
                act, actParam);
    }

    /** Transposes in 32 x 32 blocks, so both the reads and the writes stay within a few cache lines. */
    @Override
    public void transpose(int rows, int cols, Slice a, Slice out) {
        int m = rows;
        int n = cols;
        float[] src = array(a);
        float[] dst = array(out);
        int so = a.offset();
        int dso = out.offset();
        if (serial((long) m * n, GRAIN)) {
            transposeRows(0, m, m, n, src, so, dst, dso);
        } else {
            splitRows(m, n, GRAIN, RangeJobs.mine().row.set(RangeJobs.RowJob.Kind.TRANSPOSE, m, n, src, so, dst, dso));
        }
    }

    /** Rows [r0, r1) of the {@code m x n} matrix {@code src} into columns of {@code dst} ({@code n x m}). */
    static void transposeRows(int r0, int r1, int m, int n, float[] src, int so, float[] dst, int dso) {
        int block = 32;
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
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, int n, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        int grain = op == UnaryOp.EXP || op == UnaryOp.LOG ? GRAIN_HEAVY : GRAIN;
        if (serial(n, grain)) {
            VectorElementwise.unary(op, n, xs, xo, os, oo);
        } else {
            RangeJobs.mine().unary.set(op, xs, xo, os, oo).runOn(parallel, n, parallel.parts(n, grain));
        }
    }

    @Override
    public void affine(int n, Slice x, float alpha, float beta, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(n, GRAIN)) {
            VectorElementwise.affine(n, xs, xo, alpha, beta, os, oo);
        } else {
            split(n, GRAIN,
                    RangeJobs.mine().element.set(RangeJobs.ElementJob.Kind.AFFINE, alpha, beta, xs, xo, os, oo));
        }
    }

    @Override
    public void pow(int n, Slice x, float p, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(n, GRAIN_HEAVY)) {
            VectorElementwise.powScalar(n, xs, xo, p, os, oo);
        } else {
            split(n, GRAIN_HEAVY, RangeJobs.mine().element.set(RangeJobs.ElementJob.Kind.POW, p, 0f, xs, xo, os, oo));
        }
    }

    @Override
    public void clamp(int n, Slice x, float lo, float hi, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial(n, GRAIN)) {
            VectorElementwise.clamp(n, xs, xo, lo, hi, os, oo);
        } else {
            split(n, GRAIN, RangeJobs.mine().element.set(RangeJobs.ElementJob.Kind.CLAMP, lo, hi, xs, xo, os, oo));
        }
    }

    @Override
    public void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out) {
        float[] as = array(a);
        float[] bs = array(b);
        float[] os = array(out);
        int ao = a.offset();
        int bo = b.offset();
        int oo = out.offset();
        int grain = op == BinaryOp.POW ? GRAIN_HEAVY : GRAIN;
        int size = rows * cols;
        if (serial(size, grain)) {
            switch (bc) {
                case SAME -> VectorElementwise.binary(op, size, as, ao, bs, bo, os, oo);
                case SCALAR -> VectorElementwise.binaryScalar(op, size, as, ao, bs[bo], os, oo);
                case ROW -> binaryRows(op, 0, rows, cols, as, ao, bs, bo, os, oo);
                case COLUMN -> binaryColumns(op, 0, rows, cols, as, ao, bs, bo, os, oo);
            }
            return;
        }
        // A reusable job per thread, not lambdas: a capturing lambda handed to the pool is a new object per call.
        RangeJobs.BinaryJob job = RangeJobs.mine().binary.set(op, bc, cols, as, ao, bs, bo, os, oo);
        if (bc == Broadcast.SAME || bc == Broadcast.SCALAR) {
            job.runOn(parallel, size, parallel.parts(size, grain));
        } else {
            job.runOnRows(parallel, rows, Math.max(1, Math.min(rows, parallel.parts((long) size, grain))));
        }
    }

    /** Rows r0 .. r1 of {@code a op b}, b one row broadcast down the rows. */
    static void binaryRows(BinaryOp op, int r0, int r1, int cols, float[] as, int ao, float[] bs, int bo,
            float[] os, int oo) {
        for (int r = r0; r < r1; r++) {
            VectorElementwise.binary(op, cols, as, ao + r * cols, bs, bo, os, oo + r * cols);
        }
    }

    /** Rows r0 .. r1 of {@code a op b}, b one column broadcast across the columns. */
    static void binaryColumns(BinaryOp op, int r0, int r1, int cols, float[] as, int ao, float[] bs, int bo,
            float[] os, int oo) {
        for (int r = r0; r < r1; r++) {
            VectorElementwise.binaryScalar(op, cols, as, ao + r * cols, bs[bo + r], os, oo + r * cols);
        }
    }

    // ------------------------------------------------------------------ reductions

    /** A whole-tensor reduction ({@code outer == inner == 1}) goes to {@link #reduceLine}. */
    @Override
    public void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (outer == 1 && inner == 1) {
            os[oo] = reduceLine(op, xs, xo, len);
        } else if (inner == 1) {
            if (serial((long) outer * len, GRAIN)) {
                lines(op, 0, outer, len, xs, xo, os, oo);
            } else {
                RangeJobs.mine().reduce.set(RangeJobs.ReduceJob.Kind.LINES, op, len, inner, xs, xo, os, oo)
                        .runOnRows(parallel, outer, Math.min(outer, parallel.parts((long) outer * len, GRAIN)));
            }
        } else if (outer == 1) {
            // Reducing the first axis (a bias gradient over the batch): split the columns.
            int grain = Math.max(Simd.L, GRAIN / len);
            if (serial(inner, grain)) {
                VectorReductions.columns(op, 0, 1, 0, inner, len, inner, xs, xo, os, oo);
            } else {
                RangeJobs.mine().reduce.set(RangeJobs.ReduceJob.Kind.FIRST_AXIS_COLUMNS, op, len, inner, xs, xo, os, oo)
                        .runOn(parallel, inner, parallel.parts(inner, grain));
            }
        } else if (serial((long) outer * len * inner, GRAIN)) {
            VectorReductions.columns(op, 0, outer, 0, inner, len, inner, xs, xo, os, oo);
        } else {
            RangeJobs.mine().reduce.set(RangeJobs.ReduceJob.Kind.OUTER_ROWS, op, len, inner, xs, xo, os, oo)
                    .runOnRows(parallel, outer, Math.min(outer, parallel.parts((long) outer * len * inner, GRAIN)));
        }
    }

    /** Reduces lines o0 .. o1 of {@code len} contiguous elements each. */
    static void lines(ReduceOp op, int o0, int o1, int len, float[] xs, int xo, float[] os, int oo) {
        for (int o = o0; o < o1; o++) {
            os[oo + o] = VectorReductions.line(op, xs, xo + o * len, len);
        }
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
        RangeJobs jobs = RangeJobs.mine();
        float[] partial = jobs.partials(chunks);
        splitRows(chunks, REDUCE_CHUNK, GRAIN,
                jobs.reduce.set(RangeJobs.ReduceJob.Kind.CHUNKS, partOp, len, REDUCE_CHUNK, x, off, partial, 0));
        float r = partial[0];
        for (int c = 1; c < chunks; c++) {
            r = op == ReduceOp.MAX ? Math.max(r, partial[c]) : r + partial[c];
        }
        return op == ReduceOp.MEAN ? r / len : r;
    }

    /**
     * Chunks [c0, c1) of a line of {@code len} elements: chunk c's partial result (elements
     * {@code c * chunk} up to the next chunk or the line's end) into {@code out[outOff + c]}.
     */
    static void chunks(ReduceOp op, int c0, int c1, int chunk, int len, float[] x, int off, float[] out, int outOff) {
        for (int c = c0; c < c1; c++) {
            int from = c * chunk;
            out[outOff + c] = VectorReductions.line(op, x, off + from, Math.min(len, from + chunk) - from);
        }
    }

    // ------------------------------------------------------------------ rows

    @Override
    public void softmax(int rows, int cols, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial((long) rows * cols, GRAIN_HEAVY)) {
            VectorReductions.softmax(0, rows, cols, xs, xo, os, oo);
        } else {
            splitRows(rows, cols, GRAIN_HEAVY,
                    RangeJobs.mine().row.set(RangeJobs.RowJob.Kind.SOFTMAX, rows, cols, xs, xo, os, oo));
        }
    }

    @Override
    public void logSoftmax(int rows, int cols, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial((long) rows * cols, GRAIN_HEAVY)) {
            VectorReductions.logSoftmax(0, rows, cols, xs, xo, os, oo);
        } else {
            splitRows(rows, cols, GRAIN_HEAVY,
                    RangeJobs.mine().row.set(RangeJobs.RowJob.Kind.LOG_SOFTMAX, rows, cols, xs, xo, os, oo));
        }
    }

    /** Rows shared out over the threads; each row's statistics in two vector passes. */
    @Override
    public void layerNorm(int rows, int cols, Slice x, Slice gamma, Slice beta, float eps, Slice out, Slice mean,
            Slice rstd) {
        float[] xs = array(x);
        float[] gs = gamma == null ? null : array(gamma);
        float[] bs = beta == null ? null : array(beta);
        float[] os = array(out);
        float[] ms = array(mean);
        float[] rs = array(rstd);
        int xo = x.offset();
        int go = gamma == null ? 0 : gamma.offset();
        int bo = beta == null ? 0 : beta.offset();
        int oo = out.offset();
        int mo = mean.offset();
        int ro = rstd.offset();
        if (serial((long) rows * cols, GRAIN)) {
            VectorNormalization.forward(0, rows, cols, xs, xo, gs, go, bs, bo, eps, os, oo, ms, mo, rs, ro);
        } else {
            splitRows(rows, cols, GRAIN,
                    RangeJobs.mine().layerNorm.forward(cols, xs, xo, gs, go, bs, bo, eps, os, oo, ms, mo, rs, ro));
        }
    }

    /** The input gradient by rows, then gamma's and beta's by columns, each shared out over the threads. */
    @Override
    public void layerNormBackward(int rows, int cols, Slice x, Slice mean, Slice rstd, Slice gamma, Slice dy,
            Slice dx, Slice dgamma, Slice dbeta) {
        float[] xs = array(x);
        float[] ms = array(mean);
        float[] rs = array(rstd);
        float[] gs = gamma == null ? null : array(gamma);
        float[] dys = array(dy);
        float[] dxs = array(dx);
        int xo = x.offset();
        int mo = mean.offset();
        int ro = rstd.offset();
        int go = gamma == null ? 0 : gamma.offset();
        int dyo = dy.offset();
        int dxo = dx.offset();
        if (serial((long) rows * cols, GRAIN)) {
            VectorNormalization.inputGradient(0, rows, cols, xs, xo, ms, mo, rs, ro, gs, go, dys, dyo, dxs, dxo);
        } else {
            splitRows(rows, cols, GRAIN, RangeJobs.mine().layerNorm.inputGradient(cols, xs, xo, ms, mo, rs, ro, gs, go,
                    dys, dyo, dxs, dxo));
        }
        if (dgamma == null && dbeta == null) {
            return;
        }
        float[] dgs = dgamma == null ? null : array(dgamma);
        float[] dbs = dbeta == null ? null : array(dbeta);
        int dgo = dgamma == null ? 0 : dgamma.offset();
        int dbo = dbeta == null ? 0 : dbeta.offset();
        int grain = Math.max(Simd.L, GRAIN / rows);
        if (serial(cols, grain)) {
            VectorNormalization.parameterGradients(0, cols, rows, cols, xs, xo, ms, mo, rs, ro, dys, dyo, dgs, dgo, dbs,
                    dbo);
        } else {
            split(cols, grain, RangeJobs.mine().layerNorm.parameterGradients(rows, cols, xs, xo, ms, mo, rs, ro, dys,
                    dyo, dgs, dgo, dbs, dbo));
        }
    }

    @Override
    public void argmax(int rows, int cols, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        if (serial((long) rows * cols, GRAIN)) {
            VectorReductions.argmax(0, rows, cols, xs, xo, os, oo);
        } else {
            splitRows(rows, cols, GRAIN,
                    RangeJobs.mine().row.set(RangeJobs.RowJob.Kind.ARGMAX, rows, cols, xs, xo, os, oo));
        }
    }

    /**
     * {@code out[i, j] = (j == labels[i]) ? on : off}. Every label is checked before anything is
     * written: one that is not a whole number in [0, classes) throws, naming it and its position.
     */
    @Override
    public void oneHot(int n, int classes, Slice labels, float on, float off, Slice out) {
        float[] l = array(labels);
        int lo = labels.offset();
        checkLabels(n, classes, labels);
        float[] o = array(out);
        int oo = out.offset();
        VectorElementwise.fill(n * classes, o, oo, off);
        for (int i = 0; i < n; i++) {
            o[oo + i * classes + (int) l[lo + i]] = on;
        }
    }

    // ------------------------------------------------------------------ images

    @Override
    public void im2col(Conv2dGeometry g, int group, Slice image, Slice cols) {
        VectorImages.im2col(g, group, array(image), image.offset(), array(cols), cols.offset());
    }

    @Override
    public void col2im(Conv2dGeometry g, int group, Slice cols, Slice image) {
        VectorImages.col2im(g, group, array(cols), cols.offset(), array(image), image.offset());
    }

    @Override
    public void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out) {
        convolutions.pool2d(op, g, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx) {
        convolutions.pool2dBackward(op, g, array(x), x.offset(), array(dOut), dOut.offset(), array(dx), dx.offset());
    }

    /** im2col and GEMM per chunk of images and group, the bias added as the product is copied out. */
    @Override
    public void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Slice out) {
        convolutions.conv2d(g, array(x), x.offset(), array(w), w.offset(), bias == null ? null : array(bias),
                bias == null ? 0 : bias.offset(), false, array(out), out.offset());
    }

    /** A ReLU is applied in the copy out with the bias; the other activations as a pass of their own. */
    @Override
    public void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        if (act != Activation.RELU) {
            super.conv2d(g, x, w, bias, act, actParam, out);
            return;
        }
        convolutions.conv2d(g, array(x), x.offset(), array(w), w.offset(), bias == null ? null : array(bias),
                bias == null ? 0 : bias.offset(), true, array(out), out.offset());
    }

    @Override
    public void conv2dBackwardData(Conv2dGeometry g, Slice dy, Slice w, Slice dx) {
        convolutions.conv2dBackwardData(g, array(dy), dy.offset(), array(w), w.offset(), array(dx), dx.offset());
    }

    /** Summed over the batch in chunks fixed by the geometry, so the bits do not depend on the threads. */
    @Override
    public void conv2dBackwardWeights(Conv2dGeometry g, Slice dy, Slice x, Slice dw, Slice dbias) {
        convolutions.conv2dBackwardWeights(g, array(dy), dy.offset(), array(x), x.offset(), array(dw), dw.offset(),
                dbias == null ? null : array(dbias), dbias == null ? 0 : dbias.offset());
    }

    /** How many times the convolutions' workspaces have grown (for tests: constant once warm). */
    int workspaceGrowths() {
        return convolutions.workspaceGrowths();
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, int n, Slice x, Slice out) {
        float[] xs = array(x);
        float[] os = array(out);
        int xo = x.offset();
        int oo = out.offset();
        boolean heavy = act != Activation.RELU && act != Activation.LEAKY_RELU && act != Activation.IDENTITY
                && act != Activation.HARDSWISH;
        int grain = heavy ? GRAIN_HEAVY : GRAIN;
        if (serial(n, grain)) {
            VectorActivations.forward(act, param, n, xs, xo, os, oo);
        } else {
            RangeJobs.mine().activation.set(act, param, xs, xo, os, oo).runOn(parallel, n, parallel.parts(n, grain));
        }
    }

    /**
     * {@code dx = dy * act'(x)}. Only the slice the derivative reads is given (x for leaky ReLU, the
     * GELUs, SiLU, the ELUs, Mish and hard swish, y for ReLU, sigmoid, tanh and softplus, neither for identity); the
     * other may be null.
     */
    @Override
    public void activationBackward(Activation act, float param, int n, Slice x, Slice y, Slice dy, Slice dx) {
        float[] xs = x == null ? null : array(x);
        float[] ys = y == null ? null : array(y);
        int xo = x == null ? 0 : x.offset();
        int yo = y == null ? 0 : y.offset();
        float[] dys = array(dy);
        float[] dxs = array(dx);
        int dyo = dy.offset();
        int dxo = dx.offset();
        int grain = switch (act) {
            case GELU, GELU_TANH, SOFTPLUS, SILU, ELU, SELU, MISH -> GRAIN_HEAVY;   // an exp or erfc each
            default -> GRAIN;
        };
        if (serial(n, grain)) {
            VectorActivations.backward(act, param, n, xs, xo, ys, yo, dys, dyo, dxs, dxo);
        } else {
            RangeJobs.mine().activationBackward.set(act, param, xs, xo, ys, yo, dys, dyo, dxs, dxo)
                    .runOn(parallel, n, parallel.parts(n, grain));
        }
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(int n, Slice param, Slice grad, Slice velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        float[] p = array(param);
        float[] g = array(grad);
        float[] v = velocity == null ? null : array(velocity);
        int po = param.offset();
        int go = grad.offset();
        int vo = velocity == null ? 0 : velocity.offset();
        if (serial(n, GRAIN)) {
            VectorOptimizers.sgd(0, n, p, po, g, go, v, vo, lr, momentum, weightDecay, nesterov);
        } else {
            RangeJobs.mine().sgd.set(p, po, g, go, v, vo, lr, momentum, weightDecay, nesterov)
                    .runOn(parallel, n, parallel.parts(n, GRAIN));
        }
    }

    /** Adam or AdamW with the bias corrections {@code c1 = 1 - b1^t}, {@code c2 = 1 - b2^t} the front computed. */
    @Override
    public void adamUpdate(int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float c1, float c2) {
        float[] p = array(param);
        float[] g = array(grad);
        float[] ms = array(m);
        float[] vs = array(v);
        int po = param.offset();
        int go = grad.offset();
        int mo = m.offset();
        int vo = v.offset();
        if (serial(n, GRAIN_HEAVY)) {
            VectorOptimizers.adam(0, n, p, po, g, go, ms, mo, vs, vo, lr, beta1, beta2, eps, weightDecay, decoupled,
                    c1, c2);
        } else {
            RangeJobs.mine().adam.set(p, po, g, go, ms, mo, vs, vo, lr, beta1, beta2, eps, weightDecay, decoupled, c1, c2)
                    .runOn(parallel, n, parallel.parts(n, GRAIN_HEAVY));
        }
    }

    @Override
    public void rmspropUpdate(int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        float[] p = array(param);
        float[] g = array(grad);
        float[] s = array(sq);
        int po = param.offset();
        int go = grad.offset();
        int so = sq.offset();
        if (serial(n, GRAIN_HEAVY)) {
            VectorOptimizers.rmsprop(0, n, p, po, g, go, s, so, lr, alpha, eps, weightDecay);
        } else {
            split(n, GRAIN_HEAVY, RangeJobs.mine().adaptive.set(RangeJobs.AdaptiveJob.Kind.RMSPROP, p, po, g, go, s, so,
                    lr, alpha, eps, weightDecay));
        }
    }

    @Override
    public void adagradUpdate(int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        float[] p = array(param);
        float[] g = array(grad);
        float[] s = array(sum);
        int po = param.offset();
        int go = grad.offset();
        int so = sum.offset();
        if (serial(n, GRAIN_HEAVY)) {
            VectorOptimizers.adagrad(0, n, p, po, g, go, s, so, lr, eps, weightDecay);
        } else {
            split(n, GRAIN_HEAVY, RangeJobs.mine().adaptive.set(RangeJobs.AdaptiveJob.Kind.ADAGRAD, p, po, g, go, s, so,
                    lr, 0f, eps, weightDecay));
        }
    }

    // ------------------------------------------------------------------ fill, random

    @Override
    public void fill(Slice t, int n, float value) {
        float[] a = array(t);
        int off = t.offset();
        if (serial(n, GRAIN)) {
            VectorElementwise.fill(n, a, off, value);
        } else {
            split(n, GRAIN, RangeJobs.mine().element.set(RangeJobs.ElementJob.Kind.FILL, value, 0f, null, 0, a, off));
        }
    }

    /** {@code out[i] = lo + (hi - lo) * U(seed, i)}: the counter makes every part independent of the others. */
    @Override
    public void randomUniform(long seed, float lo, float hi, int n, Slice out) {
        random(RangeJobs.RandomJob.Kind.UNIFORM, seed, lo, hi, n, out);
    }

    /** {@code out[i] = mean + std * N(seed, i)}. */
    @Override
    public void randomNormal(long seed, float mean, float std, int n, Slice out) {
        random(RangeJobs.RandomJob.Kind.NORMAL, seed, mean, std, n, out);
    }

    /** {@code out[i] = U(seed, i) < keep ? scale : 0}: dropout's mask, drawn every training step. */
    @Override
    public void bernoulliMask(long seed, float keep, float scale, int n, Slice out) {
        random(RangeJobs.RandomJob.Kind.BERNOULLI, seed, keep, scale, n, out);
    }

    private void random(RangeJobs.RandomJob.Kind kind, long seed, float a, float b, int n, Slice out) {
        float[] o = array(out);
        int off = out.offset();
        if (serial(n, GRAIN_HEAVY)) {
            RangeJobs.RandomJob.fill(kind, seed, a, b, 0, n, o, off);
        } else {
            RangeJobs.mine().random.set(kind, seed, a, b, o, off).runOn(parallel, n, parallel.parts(n, GRAIN_HEAVY));
        }
    }
}
