package dendrite.backend.vector;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.CounterRandom;
import java.util.function.IntConsumer;

/**
 * Every kernel that {@link VectorKernels} splits over the pool (element-wise ops, activations,
 * optimizer updates, reductions, row kernels such as softmax, layer normalization, the transpose) as
 * reusable jobs, one set per calling thread, so that splitting a large tensor over the pool
 * allocates nothing. A capturing lambda handed to the pool is a new object on every call (it
 * escapes to the workers, so escape analysis cannot remove it): two per large call, about 1 KB of a
 * CNN training step once, and 88 bytes of a small transformer's (its attention's softmax). Each job
 * holds its caller's arrays only during the call.
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
    final ElementJob element = new ElementJob();
    final RowJob row = new RowJob();
    final LayerNormJob layerNorm = new LayerNormJob();
    final AdaptiveJob adaptive = new AdaptiveJob();
    private float[] partials = new float[0];

    private RangeJobs() {
    }

    /** This thread's jobs. */
    static RangeJobs mine() {
        return MINE.get();
    }

    /** This thread's scratch of at least {@code n} floats for a long line's partial results, grown only. */
    float[] partials(int n) {
        if (partials.length < n) {
            partials = new float[n];
        }
        return partials;
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
     * axis ({@code outer == 1}), or rows of the outer axis; each output value is summed whole by one
     * part. {@code CHUNKS}: one long line's partial results, one per {@code inner} elements, into out.
     */
    static final class ReduceJob extends RangeJob {
        enum Kind { LINES, FIRST_AXIS_COLUMNS, OUTER_ROWS, CHUNKS }

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
                case CHUNKS -> VectorKernels.chunks(op, from, to, inner, len, x, xOff, out, outOff);
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

    /** The element-wise kernels with two scalars: affine, pow, clamp, and fill (out only). */
    static final class ElementJob extends RangeJob {
        enum Kind { AFFINE, POW, CLAMP, FILL }

        private Kind kind;
        private float a;
        private float b;
        private float[] x;
        private int xOff;
        private float[] out;
        private int outOff;

        ElementJob set(Kind kind, float a, float b, float[] x, int xOff, float[] out, int outOff) {
            this.kind = kind;
            this.a = a;
            this.b = b;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (kind) {
                case AFFINE -> VectorElementwise.affine(to - from, x, xOff + from, a, b, out, outOff + from);
                case POW -> VectorElementwise.powScalar(to - from, x, xOff + from, a, out, outOff + from);
                case CLAMP -> VectorElementwise.clamp(to - from, x, xOff + from, a, b, out, outOff + from);
                case FILL -> VectorElementwise.fill(to - from, out, outOff + from, a);
            }
        }

        @Override
        void clear() {
            x = null;
            out = null;
        }
    }

    /**
     * The kernels that take whole rows of {@code cols}: softmax, log-softmax, argmax, and the
     * transpose of a {@code rows x cols} matrix (its rows [from, to)).
     */
    static final class RowJob extends RangeJob {
        enum Kind { SOFTMAX, LOG_SOFTMAX, ARGMAX, TRANSPOSE }

        private Kind kind;
        private int rows;
        private int cols;
        private float[] x;
        private int xOff;
        private float[] out;
        private int outOff;

        RowJob set(Kind kind, int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
            this.kind = kind;
            this.rows = rows;
            this.cols = cols;
            this.x = x;
            this.xOff = xOff;
            this.out = out;
            this.outOff = outOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (kind) {
                case SOFTMAX -> VectorReductions.softmax(from, to, cols, x, xOff, out, outOff);
                case LOG_SOFTMAX -> VectorReductions.logSoftmax(from, to, cols, x, xOff, out, outOff);
                case ARGMAX -> VectorReductions.argmax(from, to, cols, x, xOff, out, outOff);
                case TRANSPOSE -> VectorKernels.transposeRows(from, to, rows, cols, x, xOff, out, outOff);
            }
        }

        @Override
        void clear() {
            x = null;
            out = null;
        }
    }

    /**
     * Layer normalization's three parts: the forward pass and the input gradient by rows, gamma's and
     * beta's gradients by columns ({@link VectorNormalization}).
     */
    static final class LayerNormJob extends RangeJob {
        enum Kind { FORWARD, INPUT_GRADIENT, PARAMETER_GRADIENTS }

        private Kind kind;
        private int rows;
        private int cols;
        private float eps;
        private float[] x;
        private int xOff;
        private float[] gamma;
        private int gOff;
        private float[] beta;
        private int bOff;
        private float[] mean;
        private int mOff;
        private float[] rstd;
        private int rOff;
        private float[] dy;
        private int dyOff;
        private float[] out;
        private int outOff;
        private float[] dgamma;
        private int dgOff;
        private float[] dbeta;
        private int dbOff;

        /** The forward pass: out, mean and rstd from x, gamma and beta. */
        LayerNormJob forward(int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff, float eps,
                float[] out, int outOff, float[] mean, int mOff, float[] rstd, int rOff) {
            this.kind = Kind.FORWARD;
            this.cols = cols;
            this.x = x;
            this.xOff = xOff;
            this.gamma = gamma;
            this.gOff = gOff;
            this.beta = beta;
            this.bOff = bOff;
            this.eps = eps;
            this.out = out;
            this.outOff = outOff;
            this.mean = mean;
            this.mOff = mOff;
            this.rstd = rstd;
            this.rOff = rOff;
            return this;
        }

        /** The input gradient into {@code dx} (out). */
        LayerNormJob inputGradient(int cols, float[] x, int xOff, float[] mean, int mOff, float[] rstd, int rOff,
                float[] gamma, int gOff, float[] dy, int dyOff, float[] dx, int dxOff) {
            this.kind = Kind.INPUT_GRADIENT;
            this.cols = cols;
            this.x = x;
            this.xOff = xOff;
            this.mean = mean;
            this.mOff = mOff;
            this.rstd = rstd;
            this.rOff = rOff;
            this.gamma = gamma;
            this.gOff = gOff;
            this.dy = dy;
            this.dyOff = dyOff;
            this.out = dx;
            this.outOff = dxOff;
            return this;
        }

        /** gamma's and beta's gradients (either may be null), summed over all {@code rows}. */
        LayerNormJob parameterGradients(int rows, int cols, float[] x, int xOff, float[] mean, int mOff, float[] rstd,
                int rOff, float[] dy, int dyOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
            this.kind = Kind.PARAMETER_GRADIENTS;
            this.rows = rows;
            this.cols = cols;
            this.x = x;
            this.xOff = xOff;
            this.mean = mean;
            this.mOff = mOff;
            this.rstd = rstd;
            this.rOff = rOff;
            this.dy = dy;
            this.dyOff = dyOff;
            this.dgamma = dgamma;
            this.dgOff = dgOff;
            this.dbeta = dbeta;
            this.dbOff = dbOff;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (kind) {
                case FORWARD -> VectorNormalization.forward(from, to, cols, x, xOff, gamma, gOff, beta, bOff, eps, out,
                        outOff, mean, mOff, rstd, rOff);
                case INPUT_GRADIENT -> VectorNormalization.inputGradient(from, to, cols, x, xOff, mean, mOff, rstd,
                        rOff, gamma, gOff, dy, dyOff, out, outOff);
                case PARAMETER_GRADIENTS -> VectorNormalization.parameterGradients(from, to, rows, cols, x, xOff, mean,
                        mOff, rstd, rOff, dy, dyOff, dgamma, dgOff, dbeta, dbOff);
            }
        }

        @Override
        void clear() {
            x = null;
            gamma = null;
            beta = null;
            mean = null;
            rstd = null;
            dy = null;
            out = null;
            dgamma = null;
            dbeta = null;
        }
    }

    /** {@link VectorOptimizers#rmsprop} and {@link VectorOptimizers#adagrad}: a parameter, its gradient, one state. */
    static final class AdaptiveJob extends RangeJob {
        enum Kind { RMSPROP, ADAGRAD }

        private Kind kind;
        private float[] p;
        private int pOff;
        private float[] g;
        private int gOff;
        private float[] state;
        private int sOff;
        private float lr;
        private float alpha;
        private float eps;
        private float weightDecay;

        /** {@code alpha} is RMSProp's smoothing; Adagrad has none. */
        AdaptiveJob set(Kind kind, float[] p, int pOff, float[] g, int gOff, float[] state, int sOff, float lr,
                float alpha, float eps, float weightDecay) {
            this.kind = kind;
            this.p = p;
            this.pOff = pOff;
            this.g = g;
            this.gOff = gOff;
            this.state = state;
            this.sOff = sOff;
            this.lr = lr;
            this.alpha = alpha;
            this.eps = eps;
            this.weightDecay = weightDecay;
            return this;
        }

        @Override
        void range(int from, int to) {
            switch (kind) {
                case RMSPROP -> VectorOptimizers.rmsprop(from, to, p, pOff, g, gOff, state, sOff, lr, alpha, eps,
                        weightDecay);
                case ADAGRAD -> VectorOptimizers.adagrad(from, to, p, pOff, g, gOff, state, sOff, lr, eps, weightDecay);
            }
        }

        @Override
        void clear() {
            p = null;
            g = null;
            state = null;
        }
    }
}
