package dendrite.tensor;

import dendrite.tensor.spi.Check;

/**
 * A compute backend: it owns tensor memory and runs coarse whole-tensor kernels on it.
 *
 * <h2>Conventions every kernel follows</h2>
 * <ul>
 *   <li>Results go into an output tensor the caller supplies, so buffers can be reused and a
 *       training step allocates nothing. An elementwise kernel's output may be one of its inputs
 *       (in place); a {@link #gemm} output must not overlap its inputs.</li>
 *   <li>Kernels that work "per row" see a tensor as {@link Shape#leading()} rows of
 *       {@link Shape#last()} columns.</li>
 *   <li>Wrong shapes throw {@link IllegalArgumentException} naming the operation and the shapes,
 *       e.g. {@code matmul: [32, 784] x [128, 10]: inner dimensions 784 and 128 differ};
 *       a tensor of another backend throws {@link IllegalArgumentException}; a closed tensor
 *       throws {@link IllegalStateException}.</li>
 *   <li>NaN and infinities propagate as IEEE 754 says.</li>
 *   <li>Kernels may run asynchronously (OpenCL); {@link Tensor#toArray()} and other reads wait.</li>
 *   <li>An op a backend cannot run throws {@link UnsupportedOperationException} naming the
 *       backend and the op.</li>
 * </ul>
 * Composite operations are {@code default} methods built from the primitives; a backend may
 * override them with a fused kernel. {@code backend-scalar} is the reference implementation:
 * every other backend must match it within each op's stated tolerance.
 *
 * <p>Backends are safe to share between threads: kernels on different output tensors may run
 * concurrently.
 */
public interface Backend extends AutoCloseable {

    // ------------------------------------------------------------------ identity

    /** Short name, as used in {@code -Ddendrite.backend}: {@code scalar}, {@code vector}, {@code opencl}. */
    String name();

    /** One line of capabilities for reports and logs: SIMD width, threads, device. */
    String description();

    // ------------------------------------------------------------------ memory

    /** A new zero-filled tensor of the given shape. */
    Tensor allocate(Shape shape);

    /** Copies {@code dst.size()} values from {@code src[srcOffset...]} into {@code dst}. */
    void write(Tensor dst, float[] src, int srcOffset);

    /** Copies all of {@code src} into {@code dst[dstOffset...]}; waits for pending kernels. */
    void read(Tensor src, float[] dst, int dstOffset);

    /** Waits until every kernel issued so far has finished. No-op on synchronous backends. */
    default void synchronize() {
    }

    /** Live and pooled memory, for leak checks; {@link MemoryStats#UNTRACKED} on heap backends. */
    default MemoryStats memory() {
        return MemoryStats.UNTRACKED;
    }

    /** Releases the backend's native resources (contexts, thread pools). Idempotent. */
    @Override
    default void close() {
    }

    /** A new zero-filled tensor with the given dimensions. */
    default Tensor zeros(int... dims) {
        return allocate(Shape.of(dims));
    }

    /** A new tensor holding {@code values} (row-major) with the given dimensions. */
    default Tensor tensor(float[] values, int... dims) {
        Shape s = Shape.of(dims);
        if (values.length != s.size()) {
            throw new IllegalArgumentException("tensor: " + values.length + " values do not fill shape " + s
                    + " (" + s.size() + " values)");
        }
        Tensor t = allocate(s);
        write(t, values, 0);
        return t;
    }

    /** A new tensor of the given shape with every element {@code value}. */
    default Tensor full(float value, int... dims) {
        Tensor t = zeros(dims);
        if (value != 0f) {
            fill(t, value);
        }
        return t;
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * General matrix multiply: {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is
     * X or its transpose. A, B and C are 2-D; op(A) is [m, k], op(B) is [k, n], C is [m, n].
     * With {@code beta == 0} C's old values are ignored (even NaN), as in BLAS.
     * Tolerance against the reference: relative 1e-5 * k.
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /**
     * A dense layer's forward pass: {@code out = act(x * w^T + bias)}, with x [m, in], w [out, in]
     * (PyTorch's Linear layout), bias [out] or {@code null}, out [m, out]. Backends fuse the
     * bias and activation into the GEMM's store where they can.
     */
    default void linear(Tensor x, Tensor w, Tensor bias, Activation act, float actParam, Tensor out) {
        Check.linear(this, x, w, bias, out);
        gemm(false, true, 1f, x, w, 0f, out);
        if (bias != null) {
            binary(BinaryOp.ADD, out, bias, out);
        }
        if (act != Activation.IDENTITY) {
            activation(act, actParam, out, out);
        }
    }

    /** {@code out = transpose(a)} for a 2-D {@code a} [m, n]; out is [n, m]. */
    void transpose(Tensor a, Tensor out);

    // ------------------------------------------------------------------ elementwise

    /** {@code out = op(x)} elementwise; out has x's shape. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** {@code out = alpha * x + beta} elementwise ("scale" when beta is 0). */
    void affine(Tensor x, float alpha, float beta, Tensor out);

    /** {@code out = x ^ p} elementwise ({@link Math#pow} semantics). */
    void powScalar(Tensor x, float p, Tensor out);

    /** {@code out = min(max(x, lo), hi)} elementwise; NaN stays NaN. */
    void clamp(Tensor x, float lo, float hi, Tensor out);

    /**
     * {@code out = op(a, b)} elementwise, with b broadcast: b has a's shape, or is a row vector
     * ([n] or [1, n] with n = a's last dimension, repeated down the rows), a column vector
     * ([rows, 1], repeated along each row), or a single value. out has a's shape.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    // ------------------------------------------------------------------ reductions

    /**
     * Reduces x along {@code axis} (negative counts from the end). out holds x's shape without
     * that axis (or with it as 1; any shape of that size is accepted). Tolerance: relative 1e-5
     * times the log of the count, since summation order may differ.
     */
    void reduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /** Reduces all of x into {@code out}, a tensor of size 1. */
    void reduceAll(ReduceOp op, Tensor x, Tensor out);

    /** Reduces all of x and returns the value on the host (waits for the device). */
    default float reduceToFloat(ReduceOp op, Tensor x) {
        Tensor out = allocate(Shape.scalar());
        try {
            reduceAll(op, x, out);
            return out.item();
        } finally {
            out.close();
        }
    }

    // ------------------------------------------------------------------ rows

    /** Numerically stable softmax along the last axis: {@code out_j = e^(x_j - max) / sum e^(x - max)}. */
    void softmax(Tensor x, Tensor out);

    /** Numerically stable log-softmax along the last axis: {@code out_j = x_j - max - ln sum e^(x - max)}. */
    void logSoftmax(Tensor x, Tensor out);

    /**
     * Index of the largest value in each row (the first on ties; a NaN counts as largest), stored
     * as floats in {@code out} of size {@link Shape#leading()} (exact below 2^24).
     */
    void argmax(Tensor x, Tensor out);

    /**
     * One-hot rows: {@code out[i, j] = (j == labels[i]) ? on : off}, with labels holding class
     * indices as floats, out [labels.size, classes]. Label smoothing uses on = 1 - s + s/c,
     * off = s/c. A label outside [0, classes) throws on heap backends and gives an all-{@code off}
     * row on devices that cannot report errors.
     */
    void oneHot(Tensor labels, float on, float off, Tensor out);

    /**
     * Gathers rows of {@code src} by index: out's row r is src's row {@code indices[from + r]}
     * for r in [0, out.dim(0)). Rows are along the first dimension; out has src's shape
     * except the first dimension. Shuffled mini-batches are made this way.
     */
    void gatherRows(Tensor src, int[] indices, int from, Tensor out);

    // ------------------------------------------------------------------ activations

    /** {@code out = act(x)} elementwise. */
    void activation(Activation act, float param, Tensor x, Tensor out);

    /**
     * {@code dx = dy * act'(x)} elementwise, where {@code y = act(x)} is the forward output. Each
     * activation reads whichever of x and y it needs (ReLU, sigmoid, tanh, softplus only y; GELU
     * only x), so the forward pass is never recomputed. dx may be dy.
     */
    void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx);

    // ------------------------------------------------------------------ optimizer updates (in place)

    /**
     * SGD as PyTorch defines it: {@code g' = g + wd * p}; with momentum, {@code v = mu * v + g'}
     * and g' becomes {@code v} (or {@code g' + mu * v} with Nesterov); then {@code p -= lr * g'}.
     * {@code velocity} may be {@code null} when momentum is 0.
     */
    void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov);

    /**
     * Adam / AdamW at step {@code t >= 1}: with {@code decoupled}, {@code p -= lr * wd * p} first (AdamW),
     * otherwise {@code g += wd * p} (L2); then {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
     * {@code p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}.
     */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, boolean decoupled, long t);

    /** RMSProp: {@code g' = g + wd p; s = a s + (1-a) g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps, float weightDecay);

    /** Adagrad: {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay);

    // ------------------------------------------------------------------ fill, copy, random

    /** Sets every element of t to {@code value}. */
    void fill(Tensor t, float value);

    /** Copies src into dst; they must have the same size (shapes may differ, as with a reshape). */
    void copy(Tensor src, Tensor dst);

    /**
     * Uniform values in [lo, hi) from {@code seed}: element i is
     * {@code lo + (hi - lo) * CounterRandom.uniform(seed, i)}, the same on every backend.
     */
    void randomUniform(long seed, float lo, float hi, Tensor out);

    /** Normal values: element i is {@code mean + std * CounterRandom.normal(seed, i)}. */
    void randomNormal(long seed, float mean, float std, Tensor out);

    /**
     * A dropout mask: element i is {@code scale} if {@code CounterRandom.uniform(seed, i) < keep}, else 0.
     * Identical on every backend.
     */
    void bernoulliMask(long seed, float keep, float scale, Tensor out);
}
