package dendrite.backend.vector;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.CounterRandom;
import java.util.function.IntConsumer;

/**
 * The element-wise calls of every training step (activations forward and backward, the SGD and
 * Adam updates) as reusable jobs, one set per calling thread, so that splitting a large tensor over
 * the pool allocates nothing. A capturing lambda handed to the pool is a new object on every call
 * (it escapes to the workers, so escape analysis cannot remove it): two per large call, about 1 KB
 * of a CNN training step. Each job holds its caller's arrays only during the call.
 */
final class RangeJobs {
    private static final ThreadLocal<RangeJobs> MINE = ThreadLocal.withInitial(RangeJobs::new);

    final ActivationJob activation = new ActivationJob();
    final ActivationBackwardJob activationBackward = new ActivationBackwardJob();
    final SgdJob sgd = new SgdJob();
    final AdamJob adam = new AdamJob();
    final UnaryJob unary = new UnaryJob();
    final BinaryJob binary = new BinaryJob();
    final ReduceJob reduce = new ReduceJob();
    final RandomJob random = new RandomJob();

    private RangeJobs() {
    }

    /** This thread's jobs. */
    static RangeJobs mine() {
        return MINE.get();
    }

    /**
     * A kernel over elements [0, n), run in {@code parts} vector-aligned ranges: part p is the range
     * {@link #split} gave it, the last part taking what is left.
     */
    abstract static class RangeJob implements IntConsumer {
        private int n;
        private int step;
        private int parts;
        private boolean byRows;

        /** The kernel on elements (or, run with {@link #runOnRows}, rows) [from, to). */
        abstract void range(int from, int to);

        /** Drops the caller's arrays. */
        abstract void clear();

        @Override
        public final void accept(int p) {
            if (byRows) {
                range((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
            } else {
                range(Math.min(n, p * step), p == parts - 1 ? n : Math.min(n, (p + 1) * step));
            }
        }

        /** Runs the job over rows [0, rows) in {@code parts} runs of whole rows, then clears it. */
        final void runOnRows(Parallel parallel, int rows, int parts) {
            try {
                this.n = rows;
                this.parts = parts;
                this.byRows = true;
                parallel.run(parts, this);
            } finally {
                byRows = false;
                clear();
            }
        }

        /** Runs the job over [0, n) in {@code parts} parts on {@code parallel}, then clears it. */
        final void runOn(Parallel parallel, int n, int parts) {
            try {
                this.n = n;
                this.parts = parts;
                this.step = (n / parts + Simd.L - 1) / Simd.L * Simd.L;
                parallel.run(parts, this);
            } finally {
                clear();
            }
        }
    }

    /** {@link VectorActivations#forward}. */
    static final class ActivationJob extends RangeJob {
        private Activation act;
        private float param;
        private float[] x;
        private int xOff;
        private float[] out;
        private int outOff;

        ActivationJob set(Activation act, float param, float[] x, int xOff, float[] out, int outOff) {
            this.act = act;
            this.param = param;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            VectorActivations.forward(act, param, to - from, x, xOff + from, out, outOff + from);
        }

        @Override
        void clear() {
            x = null;
            out = null;
        }
    }

    /** {@link VectorActivations#backward}. */
    static final class ActivationBackwardJob extends RangeJob {
        private Activation act;
        private float param;
        private float[] x;
        private int xOff;
        private float[] y;
        private int yOff;
        private float[] dy;
        private int dyOff;
        private float[] dx;
        private int dxOff;

        ActivationBackwardJob set(Activation act, float param, float[] x, int xOff, float[] y, int yOff, float[] dy,
                int dyOff, float[] dx, int dxOff) {
            this.act = act;
            this.param = param;
            this.x = x;
            this.xOff = xOff;
            this.y = y;
            this.yOff = yOff;
            this.dy = dy;
            this.dyOff = dyOff;
            this.dx = dx;
            this.dxOff = dxOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            VectorActivations.backward(act, param, to - from, x, xOff + from, y, yOff + from, dy, dyOff + from, dx,
                    dxOff + from);
        }

        @Override
        void clear() {
            x = null;
            y = null;
            dy = null;
            dx = null;
        }
    }

    /** {@link VectorOptimizers#sgd}. */
    static final class SgdJob extends RangeJob {
        private float[] p;
        private int pOff;
        private float[] g;
        private int gOff;
        private float[] v;
        private int vOff;
        private float lr;
        private float momentum;
        private float weightDecay;
        private boolean nesterov;

        SgdJob set(float[] p, int pOff, float[] g, int gOff, float[] v, int vOff, float lr, float momentum,
                float weightDecay, boolean nesterov) {
            this.p = p;
            this.pOff = pOff;
            this.g = g;
            this.gOff = gOff;
            this.v = v;
            this.vOff = vOff;
            this.lr = lr;
            this.momentum = momentum;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
            return this;
        }

        @Override
        void range(int from, int to) {
            VectorOptimizers.sgd(from, to, p, pOff, g, gOff, v, vOff, lr, momentum, weightDecay, nesterov);
        }

        @Override
        void clear() {
            p = null;
            g = null;
            v = null;
        }
    }

    /** {@link VectorOptimizers#adam}. */
    static final class AdamJob extends RangeJob {
        private float[] p;
        private int pOff;
        private float[] g;
        private int gOff;
        private float[] m;
        private int mOff;
        private float[] v;
        private int vOff;
        private float lr;
        private float beta1;
        private float beta2;
        private float eps;
        private float weightDecay;
        private boolean decoupled;
        private float c1;
        private float c2;

        AdamJob set(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, float lr,
                float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float c1, float c2) {
            this.p = p;
            this.pOff = pOff;
            this.g = g;
            this.gOff = gOff;
            this.m = m;
            this.mOff = mOff;
            this.v = v;
            this.vOff = vOff;
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.decoupled = decoupled;
            this.c1 = c1;
            this.c2 = c2;
            return this;
        }

        @Override
        void range(int from, int to) {
            VectorOptimizers.adam(from, to, p, pOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2, eps, weightDecay,
                    decoupled, c1, c2);
        }

        @Override
        void clear() {
            p = null;
            g = null;
            m = null;
            v = null;
        }
    }

    /** {@link VectorKernels#binary}'s parts: elements for the same shape or a scalar, whole rows for a broadcast row or column. */
    static final class BinaryJob extends RangeJob {
        private BinaryOp op;
        private Broadcast bc;
        private int cols;
        private float[] a;
        private int aOff;
        private float[] b;
        private int bOff;
        private float[] out;
        private int outOff;

        BinaryJob set(BinaryOp op, Broadcast bc, int cols, float[] a, int aOff, float[] b, int bOff, float[] out,
                int outOff) {
            this.op = op;
            this.bc = bc;
            this.cols = cols;
            this.a = a;
            this.aOff = aOff;
            this.b = b;
            this.bOff = bOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (bc) {
                case SAME -> VectorElementwise.binary(op, to - from, a, aOff + from, b, bOff + from, out, outOff + from);
                case SCALAR -> VectorElementwise.binaryScalar(op, to - from, a, aOff + from, b[bOff], out, outOff + from);
                case ROW -> VectorKernels.binaryRows(op, from, to, cols, a, aOff, b, bOff, out, outOff);
                case COLUMN -> VectorKernels.binaryColumns(op, from, to, cols, a, aOff, b, bOff, out, outOff);
            }
        }

        @Override
        void clear() {
            a = null;
            b = null;
            out = null;
        }
    }

    /**
     * {@link VectorKernels#reduce}'s parts: rows of lines ({@code inner == 1}), columns of the first
     * axis ({@code outer == 1}), or rows of the outer axis; each output value is summed whole by one part.
     */
    static final class ReduceJob extends RangeJob {
        enum Kind { LINES, FIRST_AXIS_COLUMNS, OUTER_ROWS }

        private Kind kind;
        private ReduceOp op;
        private int len;
        private int inner;
        private float[] x;
        private int xOff;
        private float[] out;
        private int outOff;

        ReduceJob set(Kind kind, ReduceOp op, int len, int inner, float[] x, int xOff, float[] out, int outOff) {
            this.kind = kind;
            this.op = op;
            this.len = len;
            this.inner = inner;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (kind) {
                case LINES -> VectorKernels.lines(op, from, to, len, x, xOff, out, outOff);
                case FIRST_AXIS_COLUMNS -> VectorReductions.columns(op, 0, 1, from, to, len, inner, x, xOff, out, outOff);
                case OUTER_ROWS -> VectorReductions.columns(op, from, to, 0, inner, len, inner, x, xOff, out, outOff);
            }
        }

        @Override
        void clear() {
            x = null;
            out = null;
        }
    }

    /** {@link VectorElementwise#unary}. */
    static final class UnaryJob extends RangeJob {
        private UnaryOp op;
        private float[] x;
        private int xOff;
        private float[] out;
        private int outOff;

        UnaryJob set(UnaryOp op, float[] x, int xOff, float[] out, int outOff) {
            this.op = op;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            VectorElementwise.unary(op, to - from, x, xOff + from, out, outOff + from);
        }

        @Override
        void clear() {
            x = null;
            out = null;
        }
    }

    /**
     * The counter-based random fills: element i depends on the seed and i only, so any split over
     * threads gives the same values. Dropout draws a mask every training step, which is why this is a
     * reusable job and not a capturing lambda.
     */
    static final class RandomJob extends RangeJob {
        /** Which distribution fills the output. */
        enum Kind {
            /** {@code a + (b - a) * U(seed, i)}. */
            UNIFORM,
            /** {@code a + b * N(seed, i)}. */
            NORMAL,
            /** {@code U(seed, i) < a ? b : 0}. */
            BERNOULLI
        }

        private Kind kind;
        private long seed;
        private float a;
        private float b;
        private float[] out;
        private int outOff;

        RandomJob set(Kind kind, long seed, float a, float b, float[] out, int outOff) {
            this.kind = kind;
            this.seed = seed;
            this.a = a;
            this.b = b;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            fill(kind, seed, a, b, from, to, out, outOff);
        }

        @Override
        void clear() {
            out = null;
        }

        /** Fills {@code out[off + i]} for i in [from, to) with the values {@code kind} defines. */
        static void fill(Kind kind, long seed, float a, float b, int from, int to, float[] out, int off) {
            switch (kind) {
                case UNIFORM -> {
                    for (int i = from; i < to; i++) {
                        out[off + i] = a + (b - a) * CounterRandom.uniform(seed, i);
                    }
                }
                case NORMAL -> {
                    for (int i = from; i < to; i++) {
                        out[off + i] = a + b * CounterRandom.normal(seed, i);
                    }
                }
                case BERNOULLI -> {
                    for (int i = from; i < to; i++) {
                        out[off + i] = CounterRandom.uniform(seed, i) < a ? b : 0f;
                    }
                }
                default -> throw new AssertionError(kind);
            }
        }
    }
}
