package dendrite.backend.scalar;

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
import java.util.Arrays;

/**
 * The reference backend: every kernel as plain single-threaded Java loops over {@code float[]}
 * arrays on the heap. Slow, but short enough to read, and the definition every other backend
 * is tested against.
 *
 * <p>Each method first validates its arguments with {@link Check} (so every backend rejects the
 * same inputs with the same message), then fetches the arrays with
 * {@link HeapStorage#array(Backend, Tensor)} and runs a kernel from {@link ScalarGemm},
 * {@link ScalarElementwise}, {@link ScalarReductions}, {@link ScalarActivations} or
 * {@link ScalarOptimizers}. A tensor is a slice of its storage's array starting at
 * {@link Tensor#offset()} (views made by {@code rows()} start part-way in), so every kernel takes
 * an array and an offset.
 *
 * <p>Stateless and therefore safe to share between threads.
 */
public final class ScalarBackend extends HeapBackend {

    /** Creates a scalar backend. {@link ScalarBackendProvider} hands out one shared instance. */
    public ScalarBackend() {
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
        return "ScalarBackend";
    }


    // ------------------------------------------------------------------ memory

    // allocate, read and write: HeapBackend

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int k = Check.gemmInner(this, transA, transB, a, b, c);
        ScalarGemm.gemm(transA, transB, c.dim(0), c.dim(1), k, alpha,
                array(a), a.offset(), array(b), b.offset(), beta, array(c), c.offset());
    }

    /**
     * {@code out = act(x w^T + bias)}: the same three steps as the default method, but checked as
     * one op so a wrong bias is reported as a {@code linear} error, not an {@code add} one.
     */
    @Override
    public void linear(Tensor x, Tensor w, Tensor bias, Activation act, float actParam, Tensor out) {
        int k = Check.linearInner(this, x, w, bias, out);
        int m = out.dim(0);
        int n = out.dim(1);
        float[] o = array(out);
        int oo = out.offset();
        ScalarGemm.gemm(false, true, m, n, k, 1f, array(x), x.offset(), array(w), w.offset(), 0f, o, oo);
        if (bias != null) {
            // out[i, j] += bias[j]
            ScalarElementwise.binary(BinaryOp.ADD, Broadcast.ROW, m, n, o, oo, array(bias), bias.offset(),
                    o, oo);
        }
        ScalarActivations.forward(act, actParam, m * n, o, oo, o, oo);
    }

    @Override
    public void transpose(Tensor a, Tensor out) {
        Check.transpose(this, a, out);
        ScalarGemm.transpose(a.dim(0), a.dim(1), array(a), a.offset(), array(out), out.offset());
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Check.sameShape(this, op.label(), x, out);
        ScalarElementwise.unary(op, x.size(), array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Check.sameShape(this, "affine", x, out);
        ScalarElementwise.affine(x.size(), array(x), x.offset(), alpha, beta, array(out), out.offset());
    }

    @Override
    public void powScalar(Tensor x, float p, Tensor out) {
        Check.sameShape(this, "pow", x, out);
        ScalarElementwise.powScalar(x.size(), array(x), x.offset(), p, array(out), out.offset());
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        Check.sameShape(this, "clamp", x, out);
        ScalarElementwise.clamp(x.size(), array(x), x.offset(), lo, hi, array(out), out.offset());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Broadcast bc = Check.binary(this, op.label(), a, b, out);
        Shape s = a.shape();
        ScalarElementwise.binary(op, bc, s.leading(), s.last(),
                array(a), a.offset(), array(b), b.offset(), array(out), out.offset());
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Check.ReduceDims d = Check.reduce(this, op.label(), x, axis, out);
        ScalarReductions.reduce(op, d.outer(), d.len(), d.inner(), array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void reduceAll(ReduceOp op, Tensor x, Tensor out) {
        Check.reduceAll(this, op.label(), x, out);
        // The whole tensor as one line: [outer 1, len size, inner 1].
        ScalarReductions.reduce(op, 1, x.size(), 1, array(x), x.offset(), array(out), out.offset());
    }

    // ------------------------------------------------------------------ rows

    @Override
    public void softmax(Tensor x, Tensor out) {
        Check.sameShape(this, "softmax", x, out);
        Shape s = x.shape();
        ScalarReductions.softmax(s.leading(), s.last(), array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        Check.sameShape(this, "logSoftmax", x, out);
        Shape s = x.shape();
        ScalarReductions.logSoftmax(s.leading(), s.last(), array(x), x.offset(), array(out), out.offset());
    }

    @Override
    public void argmax(Tensor x, Tensor out) {
        Check.argmax(this, x, out);
        Shape s = x.shape();
        ScalarReductions.argmax(s.leading(), s.last(), array(x), x.offset(), array(out), out.offset());
    }

    /**
     * {@code out[i, j] = (j == labels[i]) ? on : off}. Every label is checked before anything is
     * written: a label that is not a whole number in [0, classes) throws
     * {@link IllegalArgumentException} naming it and its position.
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
        for (int i = 0; i < n; i++) {
            int label = (int) l[lo + i];
            for (int j = 0; j < classes; j++) {
                o[oo + i * classes + j] = j == label ? on : off;
            }
        }
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, Tensor x, Tensor out) {
        Check.sameShape(this, act.label(), x, out);
        ScalarActivations.forward(act, param, x.size(), array(x), x.offset(), array(out), out.offset());
    }

    /**
     * {@code dx = dy * act'(x)}. Only the tensor the derivative needs must be given (x for leaky
     * ReLU and GELU, y for ReLU, sigmoid, tanh and softplus, neither for identity); the other may
     * be null.
     */
    @Override
    public void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = act.backwardLabel();
        Check.allSameShape(this, op, dy, dx, x, y);
        if (act != Activation.IDENTITY) {
            boolean needsX = ScalarActivations.backwardNeedsInput(act);
            if (needsX && x == null) {
                throw new IllegalArgumentException(op + ": needs the forward input x, which is null");
            }
            if (!needsX && y == null) {
                throw new IllegalArgumentException(op + ": needs the forward output y, which is null");
            }
        }
        ScalarActivations.backward(act, param, dy.size(),
                x == null ? null : array(x), x == null ? 0 : x.offset(),
                y == null ? null : array(y), y == null ? 0 : y.offset(),
                array(dy), dy.offset(), array(dx), dx.offset());
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Check.allSameShape(this, "sgd", param, grad, velocity);
        if (momentum != 0f && velocity == null) {
            throw new IllegalArgumentException("sgd: momentum " + momentum + " needs a velocity tensor, got null");
        }
        ScalarOptimizers.sgd(param.size(), array(param), param.offset(), array(grad), grad.offset(),
                velocity == null ? null : array(velocity), velocity == null ? 0 : velocity.offset(),
                lr, momentum, weightDecay, nesterov);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, long t) {
        requireState("adam", m, v);
        Check.allSameShape(this, "adam", param, grad, m, v);
        if (t < 1) {
            throw new IllegalArgumentException("adam: step t = " + t + " must be at least 1");
        }
        ScalarOptimizers.adam(param.size(), array(param), param.offset(), array(grad), grad.offset(),
                array(m), m.offset(), array(v), v.offset(), lr, beta1, beta2, eps, weightDecay, decoupled, t);
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps,
            float weightDecay) {
        requireState("rmsprop", sq);
        Check.allSameShape(this, "rmsprop", param, grad, sq);
        ScalarOptimizers.rmsprop(param.size(), array(param), param.offset(), array(grad), grad.offset(),
                array(sq), sq.offset(), lr, alpha, eps, weightDecay);
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay) {
        requireState("adagrad", sum);
        Check.allSameShape(this, "adagrad", param, grad, sum);
        ScalarOptimizers.adagrad(param.size(), array(param), param.offset(), array(grad), grad.offset(),
                array(sum), sum.offset(), lr, eps, weightDecay);
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
        Arrays.fill(array(t), t.offset(), t.offset() + t.size(), value);
    }

    /** {@code out[i] = lo + (hi - lo) * U(seed, i)}, i counted from 0 over out. */
    @Override
    public void randomUniform(long seed, float lo, float hi, Tensor out) {
        Check.owned(this, out);
        float[] o = array(out);
        for (int i = 0; i < out.size(); i++) {
            o[out.offset() + i] = lo + (hi - lo) * CounterRandom.uniform(seed, i);
        }
    }

    /** {@code out[i] = mean + std * N(seed, i)}. */
    @Override
    public void randomNormal(long seed, float mean, float std, Tensor out) {
        Check.owned(this, out);
        float[] o = array(out);
        for (int i = 0; i < out.size(); i++) {
            o[out.offset() + i] = mean + std * CounterRandom.normal(seed, i);
        }
    }

    /** {@code out[i] = U(seed, i) < keep ? scale : 0}. */
    @Override
    public void bernoulliMask(long seed, float keep, float scale, Tensor out) {
        Check.probability("bernoulliMask", keep);
        Check.owned(this, out);
        float[] o = array(out);
        for (int i = 0; i < out.size(); i++) {
            o[out.offset() + i] = CounterRandom.uniform(seed, i) < keep ? scale : 0f;
        }
    }
}
