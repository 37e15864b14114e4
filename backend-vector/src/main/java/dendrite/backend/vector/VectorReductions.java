package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.FMA;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.ReduceOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Reductions and the row kernels built on them (softmax, log-softmax, argmax).
 *
 * <p>A reduction sees the tensor as {@code [outer, len, inner]} with the reduced axis in the
 * middle. Along a contiguous line (inner = 1) the sum runs in several vector accumulators and
 * their lanes are added at the end: a different order from the reference's left-to-right sum,
 * hence the reduction tolerance. Across lines (inner > 1) each output lane accumulates its column
 * in the reference's order, vectorized over the inner index.
 */
final class VectorReductions {
    private VectorReductions() {
    }

    /** Reduces the contiguous line {@code x[off .. off + len)}: SUM, MEAN, MAX or SUM_SQUARES. */
    static float line(ReduceOp op, float[] x, int off, int len) {
        return switch (op) {
            case SUM -> sum(x, off, len);
            case MEAN -> sum(x, off, len) / len;
            case SUM_SQUARES -> sumSquares(x, off, len);
            case MAX -> max(x, off, len);
        };
    }

    /** x_0 + ... + x_(len-1), in two vector accumulators. */
    static float sum(float[] x, int off, int len) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= len - 2 * L; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(F, x, off + i));
            s1 = s1.add(FloatVector.fromArray(F, x, off + i + L));
        }
        // The tail as masked loads would give it (zeros past the end), read from a padded copy.
        if (i < len) {
            int n = Math.min(L, len - i);
            s0 = s0.add(n == L ? FloatVector.fromArray(F, x, off + i) : FloatVector.fromArray(F, Simd.tail(x, off + i, n), 0));
            i += L;
            if (i < len) {
                s1 = s1.add(FloatVector.fromArray(F, Simd.tail(x, off + i, len - i), 0));
            }
        }
        float[] lanes = Simd.lanes();
        s0.add(s1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes);
    }

    /** x_0^2 + ... + x_(len-1)^2. */
    static float sumSquares(float[] x, int off, int len) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = 0;
        for (; i <= len - 2 * L; i += 2 * L) {
            FloatVector a = FloatVector.fromArray(F, x, off + i);
            FloatVector b = FloatVector.fromArray(F, x, off + i + L);
            s0 = FMA ? a.fma(a, s0) : a.mul(a).add(s0);
            s1 = FMA ? b.fma(b, s1) : b.mul(b).add(s1);
        }
        for (; i < len; i += L) {
            int n = Math.min(L, len - i);
            FloatVector a = n == L ? FloatVector.fromArray(F, x, off + i) : FloatVector.fromArray(F, Simd.tail(x, off + i, n), 0);
            s0 = FMA ? a.fma(a, s0) : a.mul(a).add(s0);
        }
        float[] lanes = Simd.lanes();
        s0.add(s1).intoArray(lanes, 0);
        return Simd.sumLanes(lanes);
    }

    /**
     * The largest of the line, NaN if any value is NaN (vector max follows Math.max). The running maximum
     * lives in this thread's lane buffer, not in a vector carried around the loop: C2 compiled the
     * loop-carried form, in some processes, into one that boxed the first vector on every row (64 bytes
     * a row of 10 classes, 2 KB a training step of batch 32, in the full nn-core test run on this AVX2
     * Zen 3; an earlier form with a broadcast before the loop did the same after softmax on rows of 3).
     * Stored and reloaded each vector, nothing crosses a loop or a branch, so nothing can be boxed; a
     * line shorter than a vector touches no vector.
     */
    static float max(float[] x, int off, int len) {
        int bound = F.loopBound(len);
        float r = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            float[] m = Simd.lanes();
            FloatVector.fromArray(F, x, off).intoArray(m, 0);
            for (int i = L; i < bound; i += L) {
                FloatVector.fromArray(F, m, 0).max(FloatVector.fromArray(F, x, off + i)).intoArray(m, 0);
            }
            r = FloatVector.fromArray(F, m, 0).reduceLanes(VectorOperators.MAX);
        }
        for (int i = bound; i < len; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    /**
     * Reduces columns: {@code out[o * inner + i] = op over l of x[o * len * inner + l * inner + i]}
     * for o in [o0, o1) and i in [i0, i1), vectorized over i, each column summed in increasing l like the reference.
     */
    static void columns(ReduceOp op, int o0, int o1, int i0, int i1, int len, int inner, float[] x, int xOff,
            float[] out, int outOff) {
        for (int o = o0; o < o1; o++) {
            int base = xOff + o * len * inner + i0;
            int dst = outOff + o * inner + i0;
            int width = i1 - i0;
            float start = op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : 0f;
            VectorElementwise.fill(width, out, dst, start);
            for (int l = 0; l < len; l++) {
                int row = base + l * inner;
                int i = 0;
                int bound = F.loopBound(width);
                switch (op) {
                    case SUM, MEAN -> {
                        for (; i < bound; i += L) {
                            FloatVector.fromArray(F, out, dst + i).add(FloatVector.fromArray(F, x, row + i))
                                    .intoArray(out, dst + i);
                        }
                        for (; i < width; i++) {
                            out[dst + i] += x[row + i];
                        }
                    }
                    case SUM_SQUARES -> {
                        for (; i < bound; i += L) {
                            FloatVector v = FloatVector.fromArray(F, x, row + i);
                            FloatVector.fromArray(F, out, dst + i).add(v.mul(v)).intoArray(out, dst + i);
                        }
                        for (; i < width; i++) {
                            float v = x[row + i];
                            out[dst + i] += v * v;
                        }
                    }
                    case MAX -> {
                        for (; i < bound; i += L) {
                            FloatVector.fromArray(F, out, dst + i).max(FloatVector.fromArray(F, x, row + i))
                                    .intoArray(out, dst + i);
                        }
                        for (; i < width; i++) {
                            out[dst + i] = Math.max(out[dst + i], x[row + i]);
                        }
                    }
                }
            }
            if (op == ReduceOp.MEAN) {
                VectorElementwise.binaryScalar(dendrite.tensor.op.BinaryOp.DIV, width, out, dst, len, out, dst);
            }
        }
    }

    /**
     * Softmax of rows [r0, r1) of {@code cols} values: {@code out_j = e^(x_j - max) / sum e^(x - max)}.
     * out may be x.
     */
    static void softmax(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        if (cols < L) {
            softmaxNarrowRows(r0, r1, cols, x, xOff, out, outOff);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = max(x, xs, cols);
            // e^(x - max) by the array form (no vector crosses a call), then summed in the same order
            // as when each e was added as it was computed.
            VectorMath.exp(x, xs, 1f, -max, out, os, cols);
            FloatVector sum = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += L) {
                sum = sum.add(FloatVector.fromArray(F, out, os + j));
            }
            float tail = 0f;
            for (; j < cols; j++) {
                tail += out[os + j];
            }
            float[] lanes = Simd.lanes();
            sum.intoArray(lanes, 0);
            float total = Simd.sumLanes(lanes) + tail;
            // Divided here rather than through the shared binaryScalar, whose compiled form depends
            // on which other ops the process has run.
            j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(F, out, os + j).div(total).intoArray(out, os + j);
            }
            for (; j < cols; j++) {
                out[os + j] = out[os + j] / total;
            }
        }
    }

    /**
     * {@link #softmax} of rows narrower than a vector, with no vector at all: the same operations in
     * the same order as softmax's scalar tails (the vector sum it adds the tail to is +0), so the same
     * bits. Kept apart so that softmax's vector code is compiled only from calls that run it: C2
     * compiles a vector operation that a method's profile has never seen run into a call on a boxed
     * vector, and keeps that form after wider rows come (a 3-class model's softmax run first made
     * every later call on 10-class rows allocate, in every training step; NarrowShapesFirstTest).
     */
    private static void softmaxNarrowRows(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = scalarMax(x, xs, cols);
            float tail = 0f;
            for (int j = 0; j < cols; j++) {
                out[os + j] = VectorMath.exp(x[xs + j] * 1f + -max);
                tail += out[os + j];
            }
            float total = 0f + tail;
            for (int j = 0; j < cols; j++) {
                out[os + j] = out[os + j] / total;
            }
        }
    }

    /** The largest of a line in the order {@link #max} takes its tail: NaN if any value is NaN. */
    private static float scalarMax(float[] x, int off, int len) {
        float r = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /** This thread's scratch row of at least {@code cols} floats, grown (only) when a wider row comes. */
    private static float[] rowScratch(int cols) {
        float[][] holder = ROW.get();
        if (holder[0].length < cols) {
            holder[0] = new float[cols];
        }
        return holder[0];
    }

    /** Log-softmax of rows [r0, r1): {@code out_j = x_j - max - ln sum e^(x - max)}. out may be x. */
    static void logSoftmax(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        if (cols < L) {
            logSoftmaxNarrowRows(r0, r1, cols, x, xOff, out, outOff);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = max(x, xs, cols);
            // e^(x - max) into this thread's scratch row (out may be x, which is read again below).
            float[] e = rowScratch(cols);
            VectorMath.exp(x, xs, 1f, -max, e, 0, cols);
            FloatVector sum = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += L) {
                sum = sum.add(FloatVector.fromArray(F, e, j));
            }
            float tail = 0f;
            for (; j < cols; j++) {
                tail += e[j];
            }
            float[] lanes = Simd.lanes();
            sum.intoArray(lanes, 0);
            float logSum = (float) Math.log(Simd.sumLanes(lanes) + tail);
            // x - max - logSum, in the reference's order (two subtractions, not one).
            j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(F, x, xs + j).sub(max).sub(logSum).intoArray(out, os + j);
            }
            for (; j < cols; j++) {
                out[os + j] = x[xs + j] - max - logSum;
            }
        }
    }

    /** {@link #logSoftmax} of rows narrower than a vector, with no vector: see {@link #softmaxNarrowRows}. */
    private static void logSoftmaxNarrowRows(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = scalarMax(x, xs, cols);
            float tail = 0f;
            for (int j = 0; j < cols; j++) {
                tail += VectorMath.exp(x[xs + j] * 1f + -max);
            }
            float logSum = (float) Math.log(0f + tail);
            for (int j = 0; j < cols; j++) {
                out[os + j] = x[xs + j] - max - logSum;
            }
        }
    }

    /**
     * The column of each row's largest value, as a float: the first on ties, the first NaN if the row
     * has one. The maximum is found by vectors, then its first position.
     */
    static void argmax(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        if (cols < L) {
            argmaxNarrowRows(r0, r1, cols, x, xOff, out, outOff);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            float max = max(x, xs, cols);
            int best = -1;
            int j = 0;
            for (; j < bound && best < 0; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + j);
                // NaN never equals itself: when the max is NaN, look for lanes that are NaN.
                VectorMask<Float> hit = Float.isNaN(max) ? v.test(VectorOperators.IS_NAN) : v.eq(max);
                if (hit.anyTrue()) {
                    best = j + hit.firstTrue();
                }
            }
            for (; j < cols && best < 0; j++) {
                float v = x[xs + j];
                if (v == max || Float.isNaN(max) && Float.isNaN(v)) {
                    best = j;
                }
            }
            out[outOff + r] = best;
        }
    }

    /** {@link #argmax} of rows narrower than a vector, with no vector: see {@link #softmaxNarrowRows}. */
    private static void argmaxNarrowRows(int r0, int r1, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = r0; r < r1; r++) {
            int xs = xOff + r * cols;
            float max = scalarMax(x, xs, cols);
            int best = -1;
            for (int j = 0; j < cols && best < 0; j++) {
                float v = x[xs + j];
                if (v == max || Float.isNaN(max) && Float.isNaN(v)) {
                    best = j;
                }
            }
            out[outOff + r] = best;
        }
    }
}
