package dendrite.backend.scalar;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.CounterRandom;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.HeapKernels;
import dendrite.tensor.spi.Slice;
import java.util.Arrays;

/**
 * The reference kernels: every operation as plain single-threaded Java loops over {@code float[]}
 * arrays on the heap. Slow, but short enough to read, and the definition every other backend is
 * tested against.
 *
 * <p>The front ({@link dendrite.tensor.Backend}) has checked every argument before a method here
 * runs, so each one only fetches the arrays ({@link #array}) and hands them to a kernel from
 * {@link ScalarGemm}, {@link ScalarElementwise}, {@link ScalarReductions},
 * {@link ScalarNormalization}, {@link ScalarActivations} or {@link ScalarOptimizers}. A tensor is a slice of its storage's
 * array starting at {@link Slice#offset()} (views made by {@code rows()} start part-way in), so
 * every kernel takes an array and an offset.
 *
 * <p>It writes the fused kernels out too, as direct loops: they are the specification of what the
 * defaults built from primitives ({@code Kernels}' {@code default} methods) and the fast backends
 * must compute.
 *
 * <p>Stateless and therefore safe to share between threads.
 */
public final class ScalarKernels extends HeapKernels {

    /** Creates the scalar kernels. {@link ScalarBackendProvider} hands out one shared instance. */
    public ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "reference kernels in plain Java, 1 thread";
    }

    @Override
    public String toString() {
        return "ScalarKernels";
    }

    // ------------------------------------------------------------------ memory

    // allocate, write, read, copy, gatherRows: HeapKernels

    @Override
    public void fill(Slice t, int n, float value) {
        Arrays.fill(array(t), t.offset(), t.offset() + n, value);
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta,
            Slice c) {
        ScalarGemm.gemm(transA, transB, m, n, k, alpha, array(a), a.offset(), array(b), b.offset(), beta, array(c),
                c.offset());
    }

    @Override
    public void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Slice a,
            Slice b, float beta, Slice c) {
        ScalarGemm.batchedGemm(transA, transB, batch, m, n, k, alpha, array(a), a.offset(), array(b), b.offset(), beta,
                array(c), c.offset());
    }

    /** {@code out = act(x w^T + bias)}: the GEMM, the bias down the rows, then the activation. */
    @Override
    public void linear(int m, int n, int k, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        float[] o = array(out);
        int oo = out.offset();
        ScalarGemm.gemm(false, true, m, n, k, 1f, array(x), x.offset(), array(w), w.offset(), 0f, o, oo);
        if (bias != null) {
            // out[i, j] += bias[j]
            ScalarElementwise.binary(BinaryOp.ADD, Broadcast.ROW, m, n, o, oo, array(bias), bias.offset(), o, oo);
        }
        ScalarActivations.forward(act, actParam, m * n, o, oo, o, oo);
    }

    @Override
    public void transpose(int rows, int cols, Slice a, Slice out) {
        ScalarGemm.transpose(rows, cols, array(a), a.offset(), array(out), out.offset());
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, int n, Slice x, Slice out) {
        ScalarElementwise.unary(op, n, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void affine(int n, Slice x, float alpha, float beta, Slice out) {
        ScalarElementwise.affine(n, array(x), x.offset(), alpha, beta, array(out), out.offset());
    }

    @Override
    public void pow(int n, Slice x, float p, Slice out) {
        ScalarElementwise.powScalar(n, array(x), x.offset(), p, array(out), out.offset());
    }

    @Override
    public void clamp(int n, Slice x, float lo, float hi, Slice out) {
        ScalarElementwise.clamp(n, array(x), x.offset(), lo, hi, array(out), out.offset());
    }

    @Override
    public void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out) {
        ScalarElementwise.binary(op, bc, rows, cols, array(a), a.offset(), array(b), b.offset(), array(out),
                out.offset());
    }

    // ------------------------------------------------------------------ reductions and rows

    @Override
    public void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out) {
        ScalarReductions.reduce(op, outer, len, inner, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void softmax(int rows, int cols, Slice x, Slice out) {
        ScalarReductions.softmax(rows, cols, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void logSoftmax(int rows, int cols, Slice x, Slice out) {
        ScalarReductions.logSoftmax(rows, cols, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void layerNorm(int rows, int cols, Slice x, Slice gamma, Slice beta, float eps, Slice out, Slice mean,
            Slice rstd) {
        ScalarNormalization.forward(rows, cols, array(x), x.offset(), arrayOrNull(gamma), offset(gamma),
                arrayOrNull(beta), offset(beta), eps, array(out), out.offset(), array(mean), mean.offset(), array(rstd),
                rstd.offset());
    }

    @Override
    public void layerNormBackward(int rows, int cols, Slice x, Slice mean, Slice rstd, Slice gamma, Slice dy,
            Slice dx, Slice dgamma, Slice dbeta) {
        ScalarNormalization.backward(rows, cols, array(x), x.offset(), array(mean), mean.offset(), array(rstd),
                rstd.offset(), arrayOrNull(gamma), offset(gamma), array(dy), dy.offset(), array(dx), dx.offset(),
                arrayOrNull(dgamma), offset(dgamma), arrayOrNull(dbeta), offset(dbeta));
    }

    /** The array behind an optional operand, or null. */
    private static float[] arrayOrNull(Slice s) {
        return s == null ? null : array(s);
    }

    /** An optional operand's offset (0 when it is absent). */
    private static int offset(Slice s) {
        return s == null ? 0 : s.offset();
    }

    @Override
    public void argmax(int rows, int cols, Slice x, Slice out) {
        ScalarReductions.argmax(rows, cols, array(x), x.offset(), array(out), out.offset());
    }

    /**
     * {@code out[i, j] = (j == labels[i]) ? on : off}. Every label is checked before anything is
     * written: one that is not a whole number in [0, classes) throws
     * {@link IllegalArgumentException} naming it and its position.
     */
    @Override
    public void oneHot(int n, int classes, Slice labels, float on, float off, Slice out) {
        checkLabels(n, classes, labels);
        float[] l = array(labels);
        int lo = labels.offset();
        float[] o = array(out);
        int oo = out.offset();
        for (int i = 0; i < n; i++) {
            int label = (int) l[lo + i];
            for (int j = 0; j < classes; j++) {
                o[oo + i * classes + j] = j == label ? on : off;
            }
        }
    }

    // ------------------------------------------------------------------ images

    @Override
    public void im2col(Conv2dGeometry g, int group, Slice image, Slice cols) {
        ScalarImages.im2col(g, group, array(image), image.offset(), array(cols), cols.offset());
    }

    @Override
    public void col2im(Conv2dGeometry g, int group, Slice cols, Slice image) {
        ScalarImages.col2im(g, group, array(cols), cols.offset(), array(image), image.offset());
    }

    /** Direct loops over every output pixel and kernel tap: the definition, not im2col. */
    @Override
    public void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Slice out) {
        ScalarImages.conv2d(g, array(x), x.offset(), array(w), w.offset(), bias == null ? null : array(bias),
                bias == null ? 0 : bias.offset(), array(out), out.offset());
    }

    @Override
    public void conv2dBackwardData(Conv2dGeometry g, Slice dy, Slice w, Slice dx) {
        ScalarImages.conv2dBackwardData(g, array(dy), dy.offset(), array(w), w.offset(), array(dx), dx.offset());
    }

    @Override
    public void conv2dBackwardWeights(Conv2dGeometry g, Slice dy, Slice x, Slice dw, Slice dbias) {
        ScalarImages.conv2dBackwardWeights(g, array(dy), dy.offset(), array(x), x.offset(), array(dw), dw.offset(),
                dbias == null ? null : array(dbias), dbias == null ? 0 : dbias.offset());
    }

    @Override
    public void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out) {
        ScalarImages.pool2d(op, g, array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx) {
        ScalarImages.pool2dBackward(op, g, array(x), x.offset(), array(dOut), dOut.offset(), array(dx), dx.offset());
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, int n, Slice x, Slice out) {
        ScalarActivations.forward(act, param, n, array(x), x.offset(), array(out), out.offset());
    }

    /** {@code dx = dy * act'}: x is given where the derivative reads it, y where it reads that. */
    @Override
    public void activationBackward(Activation act, float param, int n, Slice x, Slice y, Slice dy, Slice dx) {
        ScalarActivations.backward(act, param, n,
                x == null ? null : array(x), x == null ? 0 : x.offset(),
                y == null ? null : array(y), y == null ? 0 : y.offset(),
                array(dy), dy.offset(), array(dx), dx.offset());
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(int n, Slice param, Slice grad, Slice velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        ScalarOptimizers.sgd(n, array(param), param.offset(), array(grad), grad.offset(),
                velocity == null ? null : array(velocity), velocity == null ? 0 : velocity.offset(),
                lr, momentum, weightDecay, nesterov);
    }

    @Override
    public void adamUpdate(int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        ScalarOptimizers.adam(n, array(param), param.offset(), array(grad), grad.offset(), array(m), m.offset(),
                array(v), v.offset(), lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2);
    }

    @Override
    public void rmspropUpdate(int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        ScalarOptimizers.rmsprop(n, array(param), param.offset(), array(grad), grad.offset(), array(sq), sq.offset(),
                lr, alpha, eps, weightDecay);
    }

    @Override
    public void adagradUpdate(int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        ScalarOptimizers.adagrad(n, array(param), param.offset(), array(grad), grad.offset(), array(sum), sum.offset(),
                lr, eps, weightDecay);
    }

    // ------------------------------------------------------------------ random

    /** {@code out[i] = lo + (hi - lo) * U(seed, i)}, i counted from 0 over out. */
    @Override
    public void randomUniform(long seed, float lo, float hi, int n, Slice out) {
        float[] o = array(out);
        for (int i = 0; i < n; i++) {
            o[out.offset() + i] = lo + (hi - lo) * CounterRandom.uniform(seed, i);
        }
    }

    /** {@code out[i] = mean + std * N(seed, i)}. */
    @Override
    public void randomNormal(long seed, float mean, float std, int n, Slice out) {
        float[] o = array(out);
        for (int i = 0; i < n; i++) {
            o[out.offset() + i] = mean + std * CounterRandom.normal(seed, i);
        }
    }

    /** {@code out[i] = U(seed, i) < keep ? scale : 0}. */
    @Override
    public void bernoulliMask(long seed, float keep, float scale, int n, Slice out) {
        float[] o = array(out);
        for (int i = 0; i < n; i++) {
            o[out.offset() + i] = CounterRandom.uniform(seed, i) < keep ? scale : 0f;
        }
    }
}
