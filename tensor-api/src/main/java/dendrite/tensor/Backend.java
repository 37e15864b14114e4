package dendrite.tensor;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.Kernels;
import dendrite.tensor.spi.MemoryAccounting;
import dendrite.tensor.spi.Slice;

/**
 * A compute backend: it owns tensor memory and runs coarse whole-tensor operations on it.
 *
 * <p>This class is the one front every caller goes through, whatever the backend: it validates the
 * arguments of each operation once (shapes, owners, closed tensors, optimizer state, ranges), with
 * the same messages on every backend, and then calls the backend's {@link Kernels}, which trust
 * what they are given. A backend is therefore only its kernels; see {@code docs/ARCHITECTURE.md}.
 *
 * <h2>Conventions every operation follows</h2>
 * <ul>
 *   <li>Results go into an output tensor the caller supplies, so buffers can be reused and a
 *       training step allocates nothing. An elementwise output may be one of its inputs (in
 *       place); a {@link #gemm} output must not overlap its inputs.</li>
 *   <li>Operations that work "per row" see a tensor as {@link Shape#leading()} rows of
 *       {@link Shape#last()} columns.</li>
 *   <li>Wrong shapes throw {@link IllegalArgumentException} naming the operation and the shapes,
 *       e.g. {@code matmul: [32, 784] x [128, 10]: inner dimensions 784 and 128 differ}; a tensor
 *       of another backend, or a missing one, throws {@link IllegalArgumentException}; a closed
 *       tensor throws {@link IllegalStateException}.</li>
 *   <li>NaN and infinities propagate as IEEE 754 says.</li>
 *   <li>Operations may run asynchronously (OpenCL); {@link Tensor#toArray()} and other reads wait.</li>
 * </ul>
 * {@code backend-scalar} is the reference: every other backend must match it within each
 * operation's stated tolerance.
 *
 * <p>Backends are safe to share between threads: operations on different output tensors may run
 * concurrently. The instances {@link Backends} hands out are shared by the whole process and live
 * until it exits: their {@link #close()} does nothing. One made with {@link #of(Kernels)} belongs to
 * its maker, who closes it.
 */
public final class Backend implements AutoCloseable {
    private final Kernels kernels;
    private final String name;
    private final boolean shared;
    private volatile boolean closed;

    private Backend(Kernels kernels, boolean shared) {
        this.kernels = kernels;
        this.name = kernels.name();
        this.shared = shared;
    }

    /**
     * A front over {@code kernels}, owned by the caller (who closes it, releasing the kernels'
     * native resources). For backend implementors, tests and benchmarks that need a backend with
     * particular settings; applications use {@link Backends#get()}.
     *
     * @param kernels the implementation to front; the returned backend takes it over and closes it
     *        in {@link #close()}
     * @return a new, unshared backend over {@code kernels}
     * @throws IllegalArgumentException if {@code kernels} is {@code null}
     */
    public static Backend of(Kernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("Backend.of: kernels is null");
        }
        return new Backend(kernels, false);
    }

    /** The shared instance {@link Backends} keeps for the process. */
    static Backend shared(Kernels kernels) {
        return new Backend(kernels, true);
    }

    // ------------------------------------------------------------------ identity

    /**
     * Short name, as used in {@code -Ddendrite.backend}: {@code scalar}, {@code vector}, {@code opencl}.
     *
     * @return the kernels' {@link Kernels#name()}, fixed when this backend was made
     */
    public String name() {
        return name;
    }

    /**
     * One line of capabilities for reports and logs: SIMD width, threads, device.
     *
     * @return the kernels' {@link Kernels#description()}, for people to read (not a stable format)
     */
    public String description() {
        return kernels.description();
    }

    /**
     * Whether this is the process-wide instance from {@link Backends}, which {@link #close()} leaves running.
     *
     * @return {@code true} for an instance from {@link Backends}, {@code false} for one made with
     *         {@link #of(Kernels)}
     */
    public boolean isShared() {
        return shared;
    }

    /**
     * The kernels behind this front, for backend tests that need the implementation itself.
     *
     * @return the kernels themselves, not a copy; calling them skips every argument check
     */
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public String toString() {
        return "Backend[" + name + ": " + kernels.description() + "]";
    }

    // ------------------------------------------------------------------ memory

    /**
     * A new zero-filled tensor of the given shape.
     *
     * @param shape the dimensions of the new tensor
     * @return a new owning tensor, registered with the thread's open {@link Scope} if there is one,
     *         otherwise the caller's to {@linkplain Tensor#close() close}
     * @throws IllegalStateException if this backend was closed
     */
    public Tensor allocate(Shape shape) {
        requireOpen("allocate");
        return Tensor.create(this, kernels.allocate(shape.size()), shape);
    }

    /**
     * Copies {@code dst.size()} values from {@code src[srcOffset...]} into {@code dst}.
     *
     * @param dst the tensor to overwrite, of this backend; its shape is kept
     * @param src the values, row-major; not changed
     * @param srcOffset the index in {@code src} of the first value; {@code src} must hold
     *        {@code dst.size()} values from there
     * @throws IllegalArgumentException if {@code dst} or {@code src} is {@code null}, {@code dst} belongs to
     *         another backend, or the range does not fit in {@code src}
     */
    public void write(Tensor dst, float[] src, int srcOffset) {
        Check.present("write", "destination", dst);
        Check.owned(this, dst);
        Check.hostRange("write", dst, src, srcOffset);
        kernels.write(src, srcOffset, dst.slice(), dst.size());
    }

    /**
     * Copies all of {@code src} into {@code dst[dstOffset...]}; waits for pending operations.
     *
     * @param src the tensor to read, of this backend; not changed
     * @param dst the array to fill, row-major; only {@code src.size()} values from {@code dstOffset} are written
     * @param dstOffset the index in {@code dst} of the first value; {@code dst} must have room for
     *        {@code src.size()} values from there
     * @throws IllegalArgumentException if {@code src} or {@code dst} is {@code null}, {@code src} belongs to
     *         another backend, or the range does not fit in {@code dst}
     */
    public void read(Tensor src, float[] dst, int dstOffset) {
        Check.present("read", "source", src);
        Check.owned(this, src);
        Check.hostRange("read", src, dst, dstOffset);
        kernels.read(src.slice(), dst, dstOffset, src.size());
    }

    /** Waits until every operation issued so far has finished. No-op on synchronous backends. */
    public void synchronize() {
        kernels.synchronize();
    }

    /**
     * Live and pooled memory, for leak checks; {@link MemoryStats#UNTRACKED} on heap backends.
     *
     * @return a snapshot of the kernels' {@link MemoryAccounting} counters at the time of the call
     */
    public MemoryStats memory() {
        MemoryAccounting a = kernels.accounting();
        return a == null ? MemoryStats.UNTRACKED
                : new MemoryStats(a.liveBuffers(), a.liveBytes(), a.pooledBuffers(), a.pooledBytes());
    }

    /**
     * Releases the backend's native resources (contexts, thread pools), once. Does nothing on a
     * {@linkplain #isShared() shared} instance: other code in the process may be using it.
     */
    @Override
    public void close() {
        if (shared) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        kernels.close();
    }

    private void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException(name + " " + op + ": backend is closed");
        }
    }

    /**
     * A new zero-filled tensor with the given dimensions.
     *
     * @param dims the dimensions, outermost first, each positive; none for a scalar
     * @return a new owning tensor, as from {@link #allocate(Shape)}
     * @throws IllegalArgumentException if a dimension is not positive or the size exceeds an {@code int}
     */
    public Tensor zeros(int... dims) {
        return allocate(Shape.of(dims));
    }

    /**
     * A new tensor holding {@code values} (row-major) with the given dimensions.
     *
     * @param values the elements, row-major, exactly as many as the dimensions hold; copied, not kept
     * @param dims the dimensions, outermost first, each positive; none for a scalar
     * @return a new owning tensor, as from {@link #allocate(Shape)}, holding a copy of {@code values}
     * @throws IllegalArgumentException if {@code values} is {@code null} or does not fill the shape exactly
     */
    public Tensor tensor(float[] values, int... dims) {
        Shape s = Shape.of(dims);
        if (values == null || values.length != s.size()) {
            throw new IllegalArgumentException("tensor: " + (values == null ? "no" : values.length)
                    + " values do not fill shape " + s + " (" + s.size() + " values)");
        }
        Tensor t = allocate(s);
        write(t, values, 0);
        return t;
    }

    /**
     * A new tensor of the given shape with every element {@code value}.
     *
     * @param value the value of every element
     * @param dims the dimensions, outermost first, each positive; none for a scalar
     * @return a new owning tensor, as from {@link #allocate(Shape)}
     */
    public Tensor full(float value, int... dims) {
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
     *
     * @param transA whether op(A) is A's transpose ({@code a} is then [k, m])
     * @param transB whether op(B) is B's transpose ({@code b} is then [n, k])
     * @param alpha the factor on the product
     * @param a the left operand, 2-D, [m, k] or (transposed) [k, m]; not changed
     * @param b the right operand, 2-D, [k, n] or (transposed) [n, k]; not changed
     * @param beta the factor on C's old values; 0 ignores them
     * @param c the output, [m, n], updated in place; must not share memory with {@code a} or {@code b}
     * @throws IllegalArgumentException if an operand is not 2-D, the inner dimensions differ, {@code c}
     *         has the wrong shape or shares memory with an input
     */
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int k = Check.gemm(this, transA, transB, a, b, c);
        kernels.gemm(transA, transB, c.dim(0), c.dim(1), k, alpha, a.slice(), b.slice(), beta, c.slice());
    }

    /**
     * A batch of matrix products, each as {@link #gemm} computes it: {@code C[i] = alpha * op(A[i]) *
     * op(B[i]) + beta * C[i]} for every i in [0, batch), as PyTorch's {@code baddbmm} (and {@code bmm}
     * with alpha 1, beta 0). A, B and C are 3-D with the same first dimension: op(A[i]) is [m, k],
     * op(B[i]) [k, n], C[i] [m, n]. An attention layer's scores {@code Q K^T} and its weighted values
     * {@code P V}, one product per sequence and head, are made this way. With {@code beta == 0} C's old
     * values are ignored (even NaN). Each product has the same tolerance as {@link #gemm}.
     *
     * @param transA whether op(A[i]) is A[i]'s transpose ({@code a} is then [batch, k, m])
     * @param transB whether op(B[i]) is B[i]'s transpose ({@code b} is then [batch, n, k])
     * @param alpha the factor on each product
     * @param a the left operands, [batch, m, k] or (transposed) [batch, k, m]; not changed
     * @param b the right operands, [batch, k, n] or (transposed) [batch, n, k]; not changed
     * @param beta the factor on C's old values; 0 ignores them
     * @param c the outputs, [batch, m, n], updated in place; must not share memory with {@code a} or {@code b}
     * @throws IllegalArgumentException if an operand is not 3-D, the batches or inner dimensions differ,
     *         {@code c} has the wrong shape or shares memory with an input
     */
    public void batchedGemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int k = Check.batchedGemm(this, transA, transB, a, b, c);
        kernels.batchedGemm(transA, transB, c.dim(0), c.dim(1), c.dim(2), k, alpha, a.slice(), b.slice(), beta,
                c.slice());
    }

    /**
     * A dense layer's forward pass: {@code out = act(x * w^T + bias)}, with x [m, in], w [out, in]
     * (PyTorch's Linear layout), bias [out] or {@code null}, out [m, out]. Backends fuse the
     * bias and activation into the GEMM's store where they can.
     *
     * @param x the input, [m, in]; not changed
     * @param w the weights, [out, in]; not changed
     * @param bias the bias, {@code out} values, or {@code null} for none; not changed
     * @param act the activation applied last, or {@code null} for {@link Activation#IDENTITY}
     * @param actParam the activation's parameter (e.g. leaky ReLU's slope); ignored by activations without one
     * @param out the output, [m, out], overwritten; must not share memory with {@code x} or {@code w}
     * @throws IllegalArgumentException if the shapes do not fit together, or {@code out} shares memory with an input
     */
    public void linear(Tensor x, Tensor w, Tensor bias, Activation act, float actParam, Tensor out) {
        int k = Check.linear(this, x, w, bias, out);
        kernels.linear(out.dim(0), out.dim(1), k, x.slice(), w.slice(), bias == null ? null : bias.slice(),
                act == null ? Activation.IDENTITY : act, actParam, out.slice());
    }

    /**
     * A dense layer's weights packed once for many {@link #linear(Tensor, PackedWeights, Tensor, Activation,
     * float, Tensor)} calls: the form this backend's matrix product reads them in (the vector backend's
     * GEMM panels), made now rather than on every call. A snapshot of {@code w}; see {@link PackedWeights}.
     *
     * @param w the weights, [out, in] (PyTorch's Linear layout); not changed
     * @return the packed weights, registered with the thread's open {@link Scope} if there is one,
     *         otherwise the caller's to close
     * @throws IllegalArgumentException if {@code w} is null, not 2-D or of another backend
     */
    public PackedWeights packWeights(Tensor w) {
        requireOpen("packWeights");
        Check.present("packWeights", "weights", w);
        Check.owned(this, w);
        if (w.rank() != 2) {
            throw new IllegalArgumentException("packWeights: weights " + w.shape() + " are not 2-D [out, in]");
        }
        int n = w.dim(0);
        int k = w.dim(1);
        Tensor packed = allocate(Shape.of(kernels.packedWeightsSize(n, k)));
        kernels.packWeights(n, k, w.slice(), packed.slice());
        return new PackedWeights(packed, w.shape());
    }

    /**
     * {@link #linear(Tensor, Tensor, Tensor, Activation, float, Tensor)} with weights packed beforehand by
     * {@link #packWeights}: the same values, bit for bit, as on the weights they were packed from, without
     * packing them again.
     *
     * @param x the input, [m, in]; not changed
     * @param w the packed weights, of shape [out, in]; not changed
     * @param bias the bias, {@code out} values, or {@code null} for none; not changed
     * @param act the activation applied last, or {@code null} for {@link Activation#IDENTITY}
     * @param actParam the activation's parameter (e.g. leaky ReLU's slope); ignored by activations without one
     * @param out the output, [m, out], overwritten; must not share memory with {@code x}
     * @throws IllegalArgumentException if the shapes do not fit together, an operand belongs to another
     *         backend, or {@code out} shares memory with {@code x}
     * @throws IllegalStateException if the packed weights were closed
     */
    public void linear(Tensor x, PackedWeights w, Tensor bias, Activation act, float actParam, Tensor out) {
        Check.present("linear", "packed weights", w == null ? null : w.packed());
        int k = Check.linearPacked(this, x, w.shape(), w.packed(), bias, out);
        kernels.linearPacked(out.dim(0), out.dim(1), k, x.slice(), w.packed().slice(),
                bias == null ? null : bias.slice(), act == null ? Activation.IDENTITY : act, actParam, out.slice());
    }

    /**
     * {@code out = transpose(a)} for a 2-D {@code a} [m, n]; out is [n, m].
     *
     * @param a the matrix, [m, n]; not changed
     * @param out the transpose, [n, m], overwritten; must not share memory with {@code a}
     * @throws IllegalArgumentException if {@code a} is not 2-D, {@code out} is not [n, m] or shares memory
     *         with {@code a}
     */
    public void transpose(Tensor a, Tensor out) {
        Check.transpose(this, a, out);
        kernels.transpose(a.dim(0), a.dim(1), a.slice(), out.slice());
    }

    // ------------------------------------------------------------------ elementwise

    /**
     * {@code out = op(x)} elementwise; out has x's shape.
     *
     * @param op the function to apply
     * @param x the input, any shape; not changed unless it is {@code out}
     * @param out the output, x's shape, overwritten; may be {@code x} (in place)
     * @throws IllegalArgumentException if {@code op} is {@code null} or the shapes differ
     */
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Check.sameShape(this, Check.operation("unary", "op", op).label(), x, out);
        kernels.unary(op, x.size(), x.slice(), out.slice());
    }

    /**
     * {@code out = alpha * x + beta} elementwise ("scale" when beta is 0).
     *
     * @param x the input, any shape; not changed unless it is {@code out}
     * @param alpha the factor
     * @param beta the offset added after scaling
     * @param out the output, x's shape, overwritten; may be {@code x} (in place)
     * @throws IllegalArgumentException if the shapes differ
     */
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Check.sameShape(this, "affine", x, out);
        kernels.affine(x.size(), x.slice(), alpha, beta, out.slice());
    }

    /**
     * {@code out = x ^ p} elementwise ({@link Math#pow} semantics).
     *
     * @param x the bases, any shape; not changed unless it is {@code out}
     * @param p the exponent, the same for every element
     * @param out the output, x's shape, overwritten; may be {@code x} (in place)
     * @throws IllegalArgumentException if the shapes differ
     */
    public void powScalar(Tensor x, float p, Tensor out) {
        Check.sameShape(this, "pow", x, out);
        kernels.pow(x.size(), x.slice(), p, out.slice());
    }

    /**
     * {@code out = min(max(x, lo), hi)} elementwise; NaN stays NaN.
     *
     * @param x the input, any shape; not changed unless it is {@code out}
     * @param lo the lower bound
     * @param hi the upper bound, applied after {@code lo} (so it wins when {@code lo > hi})
     * @param out the output, x's shape, overwritten; may be {@code x} (in place)
     * @throws IllegalArgumentException if the shapes differ
     */
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        Check.sameShape(this, "clamp", x, out);
        kernels.clamp(x.size(), x.slice(), lo, hi, out.slice());
    }

    /**
     * {@code out = op(a, b)} elementwise, with b broadcast: b has a's shape, or is a row vector
     * ([n] or [1, n] with n = a's last dimension, repeated down the rows), a column vector
     * ([rows, 1], repeated along each row), or a single value. out has a's shape.
     *
     * @param op the function to apply
     * @param a the first operand, any shape; not changed unless it is {@code out}
     * @param b the second operand, a's shape or one of the broadcast shapes above; not changed unless it is
     *        {@code out}
     * @param out the output, a's shape, overwritten; may be {@code a} (in place)
     * @throws IllegalArgumentException if {@code op} is {@code null}, {@code b} cannot be broadcast to {@code a},
     *         or {@code out} is not a's shape
     */
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Broadcast bc = Check.binary(this, Check.operation("binary", "op", op).label(), a, b, out);
        Shape s = a.shape();
        kernels.binary(op, bc, s.leading(), s.last(), a.slice(), b.slice(), out.slice());
    }

    // ------------------------------------------------------------------ reductions

    /**
     * Reduces x along {@code axis} (negative counts from the end). out holds x's shape without
     * that axis (or with it as 1; any shape of that size is accepted). Tolerance: relative 1e-5
     * times the log of the count, since summation order may differ.
     *
     * @param op the reduction
     * @param x the input, rank at least 1; not changed
     * @param axis the axis to reduce, in [-rank, rank)
     * @param out the output, overwritten, with {@code x.size() / x.dim(axis)} elements, not sharing memory with x
     * @throws IllegalArgumentException if {@code op} is {@code null}, {@code x} is a scalar, {@code axis} is out
     *         of range, {@code out} has the wrong size, or the tensors share memory
     */
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int a = Check.reduce(this, Check.operation("reduce", "op", op).label(), x, axis, out);
        Shape s = x.shape();
        int inner = Check.inner(s, a);
        int len = s.dim(a);
        kernels.reduce(op, s.size() / (len * inner), len, inner, x.slice(), out.slice());
    }

    /**
     * Reduces all of x into {@code out}, a tensor of size 1.
     *
     * @param op the reduction
     * @param x the input, any shape; not changed
     * @param out the output, of size 1 (any rank), overwritten, not sharing memory with x
     * @throws IllegalArgumentException if {@code op} is {@code null}, or {@code out} does not have size 1 or shares
     *         memory with x
     */
    public void reduceAll(ReduceOp op, Tensor x, Tensor out) {
        Check.reduceAll(this, Check.operation("reduceAll", "op", op).label(), x, out);
        kernels.reduce(op, 1, x.size(), 1, x.slice(), out.slice());
    }

    /**
     * Reduces all of x and returns the value on the host (waits for the device).
     *
     * @param op the reduction
     * @param x the input, any shape; not changed
     * @return the reduced value; the temporary tensor it passed through is already freed
     */
    public float reduceToFloat(ReduceOp op, Tensor x) {
        Tensor out = allocate(Shape.scalar());
        try {
            reduceAll(op, x, out);
            return out.item();
        } finally {
            out.close();
        }
    }

    // ------------------------------------------------------------------ rows

    /**
     * Numerically stable softmax along the last axis: {@code out_j = e^(x_j - max) / sum e^(x - max)}.
     *
     * @param x the logits, seen as {@code [leading, last]} rows; not changed unless it is {@code out}
     * @param out the probabilities, x's shape, overwritten; may be {@code x}
     * @throws IllegalArgumentException if the shapes differ
     */
    public void softmax(Tensor x, Tensor out) {
        Check.sameShape(this, "softmax", x, out);
        Shape s = x.shape();
        kernels.softmax(s.leading(), s.last(), x.slice(), out.slice());
    }

    /**
     * Numerically stable log-softmax along the last axis: {@code out_j = x_j - max - ln sum e^(x - max)}.
     *
     * @param x the logits, seen as {@code [leading, last]} rows; not changed unless it is {@code out}
     * @param out the log-probabilities, x's shape, overwritten; may be {@code x}
     * @throws IllegalArgumentException if the shapes differ
     */
    public void logSoftmax(Tensor x, Tensor out) {
        Check.sameShape(this, "logSoftmax", x, out);
        Shape s = x.shape();
        kernels.logSoftmax(s.leading(), s.last(), x.slice(), out.slice());
    }

    /**
     * Index of the largest value in each row (the first on ties; a NaN counts as largest), stored
     * as floats in {@code out} of size {@link Shape#leading()} (exact below 2^24).
     *
     * @param x the input, rank at least 1, seen as {@code [leading, last]} rows; not changed
     * @param out the indices, {@code leading} values (any shape of that size), overwritten; not sharing memory with x
     * @throws IllegalArgumentException if {@code x} is a scalar, {@code out} has the wrong size or shares memory
     *         with {@code x}
     */
    public void argmax(Tensor x, Tensor out) {
        Check.argmax(this, x, out);
        Shape s = x.shape();
        kernels.argmax(s.leading(), s.last(), x.slice(), out.slice());
    }

    /**
     * One-hot rows: {@code out[i, j] = (j == labels[i]) ? on : off}, with labels holding class
     * indices as floats, out [labels.size, classes]. Label smoothing uses on = 1 - s + s/c,
     * off = s/c. A label outside [0, classes) throws on heap backends and gives an all-{@code off}
     * row on devices that cannot report errors.
     *
     * @param labels the class indices as floats, any shape; not changed
     * @param on the value at each row's label
     * @param off the value everywhere else
     * @param out the output, {@code [labels.size(), classes]}, overwritten; its second dimension sets the
     *        number of classes
     * @throws IllegalArgumentException if {@code out} is not 2-D with one row per label, or shares memory with
     *         {@code labels}
     */
    public void oneHot(Tensor labels, float on, float off, Tensor out) {
        int classes = Check.oneHot(this, labels, out);
        kernels.oneHot(labels.size(), classes, labels.slice(), on, off, out.slice());
    }

    /**
     * Gathers rows of {@code src} by index: out's row r is src's row {@code indices[from + r]}
     * for r in [0, out.dim(0)). Rows are along the first dimension; out has src's shape
     * except the first dimension. Shuffled mini-batches are made this way.
     *
     * @param src the rows to pick from, rank at least 1; not changed
     * @param indices row numbers of {@code src}, each in [0, src.dim(0)); not changed
     * @param from the position in {@code indices} of the first row to gather
     * @param out the output, overwritten; its first dimension is the number of rows gathered, and
     *        {@code indices} must hold that many from {@code from}; not sharing memory with src
     * @throws IllegalArgumentException if the ranks or row shapes differ, the index range exceeds
     *         {@code indices}, an index is not a row of {@code src}, or the tensors share memory
     */
    public void gatherRows(Tensor src, int[] indices, int from, Tensor out) {
        Check.gatherRows(this, src, indices, from, out);
        int count = out.dim(0);
        kernels.gatherRows(src.slice(), indices, from, count, out.size() / count, out.slice());
    }

    /**
     * Copies a block of columns from one matrix into another with as many rows:
     * {@code dst[r, dstColumn + c] = src[r, srcColumn + c]} for every row r and c in [0, width); the
     * rest of {@code dst} is left as it was. Concatenation along any axis is this copy, once per part,
     * with the axes before the joined one folded into the rows (see {@code Tensor.reshape}); splitting
     * (concatenation's backward pass) is the copy the other way.
     *
     * @param src       a 2-D tensor {@code [rows, srcColumns]}; not changed
     * @param srcColumn the first column of {@code src} copied
     * @param dst       a 2-D tensor {@code [rows, dstColumns]} not sharing memory with {@code src}
     * @param dstColumn the first column of {@code dst} written
     * @param width     the number of columns copied, at least 0
     * @throws IllegalArgumentException if a tensor is not 2-D, the row counts differ, a column range falls
     *         outside its tensor, or the tensors share memory
     */
    public void copyColumns(Tensor src, int srcColumn, Tensor dst, int dstColumn, int width) {
        Check.copyColumns(this, src, srcColumn, dst, dstColumn, width);
        if (width > 0 && src.dim(0) > 0) {
            kernels.copyColumns(src.slice(), src.dim(1), srcColumn, dst.slice(), dst.dim(1), dstColumn, src.dim(0),
                    width);
        }
    }

    /**
     * The reverse of {@link #gatherRows}, adding: row {@code indices[from + r]} of {@code out} gets
     * row r of {@code src} added, for r in [0, src.dim(0)); a negative index skips its row (padding).
     * Rows sent to the same index are added in order of r on every backend, so the result has the
     * same bits everywhere. An embedding's backward pass is this: each position's gradient into the
     * row of its token. out is not cleared first.
     *
     * @param src the rows to add, rank at least 1; its first dimension is the number of rows; not changed
     * @param indices row numbers of {@code out}, each below out.dim(0), or negative to skip; not changed
     * @param from the position in {@code indices} for row 0 of {@code src}
     * @param out the accumulator, the same rank and row shape as {@code src}; added to in place; not sharing
     *        memory with src
     * @throws IllegalArgumentException if the ranks or row shapes differ, the index range exceeds
     *         {@code indices}, an index is not a row of {@code out}, or the tensors share memory
     */
    public void scatterAddRows(Tensor src, int[] indices, int from, Tensor out) {
        Check.scatterAddRows(this, src, indices, from, out);
        int count = src.dim(0);
        kernels.scatterAddRows(src.slice(), indices, from, count, src.size() / count, out.slice());
    }

    // ------------------------------------------------------------------ normalization

    /**
     * Layer normalization over the last axis, as PyTorch's {@code layer_norm} with
     * {@code normalized_shape} the last dimension: each row ({@link Shape#leading()} rows of
     * {@link Shape#last()} values) is shifted by its mean and scaled by its reciprocal standard
     * deviation, then by {@code gamma} and {@code beta}:
     * <pre>
     *   mean = sum_j x_j / n,   var = sum_j (x_j - mean)^2 / n   (biased, two passes)
     *   rstd = 1 / sqrt(var + eps),   out_j = (x_j - mean) * rstd * gamma_j + beta_j
     * </pre>
     * The mean and rstd of every row are written too, for {@link #layerNormBackward}. A row of one
     * value, or of equal values, normalizes to 0 (then {@code beta}). Tolerance against the reference:
     * relative 1e-5 times the log of the row length, of the terms' magnitude, since summation order may
     * differ.
     *
     * @param x the input, rank at least 1, seen as {@code [leading, last]} rows; not changed unless it is {@code out}
     * @param gamma the scale, {@code last} values (any shape of that size), or {@code null} for none (1); not changed
     * @param beta the shift, {@code last} values, or {@code null} for none (0); not changed
     * @param eps added to the variance before the square root, at least 0 (PyTorch's default is 1e-5)
     * @param out the normalized rows, x's shape, overwritten; may be {@code x}
     * @param mean each row's mean, {@code leading} values (any shape of that size), overwritten
     * @param rstd each row's {@code 1 / sqrt(var + eps)}, {@code leading} values, overwritten
     * @throws IllegalArgumentException if a tensor is missing, a shape or size does not fit x, {@code eps} is
     *         negative or NaN, or {@code mean} or {@code rstd} shares memory with another operand
     */
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        Check.layerNorm(this, x, gamma, beta, eps, out, mean, rstd);
        Shape s = x.shape();
        kernels.layerNorm(s.leading(), s.last(), x.slice(), slice(gamma), slice(beta), eps, out.slice(), mean.slice(),
                rstd.slice());
    }

    /**
     * The gradients of {@link #layerNorm} from dL/dout, with PyTorch's formulas: with
     * {@code xhat = (x - mean) * rstd} and {@code g = dy * gamma} (or dy without gamma), per row of n values
     * <pre>
     *   dx = rstd * (g - sum_j g_j / n - xhat * sum_j (g_j xhat_j) / n)
     * </pre>
     * and over all rows {@code dgamma = sum_rows dy * xhat}, {@code dbeta = sum_rows dy}. Every gradient is
     * overwritten, not accumulated; {@code dgamma} and {@code dbeta} may be {@code null} to skip them.
     * Tolerance: as the forward pass's.
     *
     * @param x the forward input, rank at least 1; not changed
     * @param mean the forward pass's row means, {@code leading} values; not changed
     * @param rstd the forward pass's row reciprocal standard deviations, {@code leading} values; not changed
     * @param gamma the forward pass's scale, {@code last} values, or {@code null} if it had none; not changed
     * @param dy the gradient with respect to the output, x's shape; not changed
     * @param dx the gradient with respect to x, x's shape, overwritten; must not share memory with another operand
     * @param dgamma the gradient with respect to gamma, {@code last} values, overwritten; or {@code null} to skip it
     * @param dbeta the gradient with respect to beta, {@code last} values, overwritten; or {@code null} to skip it
     * @throws IllegalArgumentException if a required tensor is missing, a shape or size does not fit x, or an
     *         output shares memory with another operand
     */
    public void layerNormBackward(Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor dy, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        Check.layerNormBackward(this, x, mean, rstd, gamma, dy, dx, dgamma, dbeta);
        Shape s = x.shape();
        kernels.layerNormBackward(s.leading(), s.last(), x.slice(), mean.slice(), rstd.slice(), slice(gamma),
                dy.slice(), dx.slice(), slice(dgamma), slice(dbeta));
    }

    /** An optional operand's slice, or {@code null}. */
    private static Slice slice(Tensor t) {
        return t == null ? null : t.slice();
    }

    // ------------------------------------------------------------------ images

    /**
     * A 2-D convolution as PyTorch's {@code conv2d} computes it (a cross-correlation), in NCHW:
     * {@code x [batch, channels, height, width]}, {@code w [outChannels, channels / groups, kernelH,
     * kernelW]}, {@code bias [outChannels]} or {@code null}, {@code out [batch, outChannels, outH,
     * outW]}, all as {@code g} describes. out must not overlap x or w.
     *
     * @param x the input images, {@code [batch, channels, height, width]}; not changed
     * @param w the filters, {@code [outChannels, channels / groups, kernelH, kernelW]}; not changed
     * @param bias one value per output channel, or {@code null} for none; not changed
     * @param g the geometry: sizes, stride, padding, dilation and groups
     * @param out the output, {@code [batch, outChannels, outH, outW]}, overwritten
     * @throws IllegalArgumentException if {@code g} is {@code null}, a tensor does not match it, or
     *         {@code out} shares memory with {@code x} or {@code w}
     */
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dGeometry g, Tensor out) {
        Check.conv2d(this, "conv2d", g, x, w, bias, out, "output");
        kernels.conv2d(g, x.slice(), w.slice(), bias == null ? null : bias.slice(), out.slice());
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, Conv2dGeometry, Tensor)} with an activation applied to its
     * output, {@code out = act(conv(x, w) + bias)}, as a convolution layer followed by an activation
     * layer computes it in inference: the same values, bit for bit, as {@code conv2d} and then
     * {@link #activation} on out, in one call so that a backend can apply the activation while it
     * writes the output.
     *
     * @param x the input images, {@code [batch, channels, height, width]}; not changed
     * @param w the filters, {@code [outChannels, channels / groups, kernelH, kernelW]}; not changed
     * @param bias one value per output channel, or {@code null} for none; not changed
     * @param g the geometry: sizes, stride, padding, dilation and groups
     * @param act the activation applied last, or {@code null} for {@link Activation#IDENTITY}
     * @param actParam the activation's parameter (e.g. leaky ReLU's slope); ignored by activations without one
     * @param out the output, {@code [batch, outChannels, outH, outW]}, overwritten
     * @throws IllegalArgumentException if {@code g} is {@code null}, a tensor does not match it, or
     *         {@code out} shares memory with {@code x} or {@code w}
     */
    public void conv2d(Tensor x, Tensor w, Tensor bias, Conv2dGeometry g, Activation act, float actParam,
            Tensor out) {
        Check.conv2d(this, "conv2d", g, x, w, bias, out, "output");
        kernels.conv2d(g, x.slice(), w.slice(), bias == null ? null : bias.slice(),
                act == null ? Activation.IDENTITY : act, actParam, out.slice());
    }

    /**
     * A convolution's input gradient: {@code dx [batch, channels, height, width]} (overwritten) from
     * the output gradient {@code dy [batch, outChannels, outH, outW]} and the weights.
     *
     * @param dy the gradient of the loss with respect to the output; not changed
     * @param w the filters of the forward pass, {@code [outChannels, channels / groups, kernelH, kernelW]};
     *        not changed
     * @param g the forward pass's geometry
     * @param dx the input gradient, overwritten; must not share memory with {@code dy} or {@code w}
     * @throws IllegalArgumentException if {@code g} is {@code null}, a tensor does not match it, or
     *         {@code dx} shares memory with another operand
     */
    public void conv2dBackwardData(Tensor dy, Tensor w, Conv2dGeometry g, Tensor dx) {
        Check.conv2d(this, "conv2d backward", g, dx, w, null, dy, "output gradient");
        Check.distinct("conv2d backward", "input gradient", dx, "weight", w);
        kernels.conv2dBackwardData(g, dy.slice(), w.slice(), dx.slice());
    }

    /**
     * A convolution's weight gradient {@code dw} and, unless {@code null}, bias gradient {@code dbias}
     * (both overwritten, summed over the batch) from the output gradient and the forward input.
     *
     * @param dy the output gradient, {@code [batch, outChannels, outH, outW]}; not changed
     * @param x the forward input, {@code [batch, channels, height, width]}; not changed
     * @param g the forward pass's geometry
     * @param dw the weight gradient, {@code [outChannels, channels / groups, kernelH, kernelW]}, overwritten
     * @param dbias the bias gradient, one value per output channel, overwritten; or {@code null} to skip it
     * @throws IllegalArgumentException if {@code g} is {@code null}, a tensor does not match it, or an
     *         output shares memory with another operand
     */
    public void conv2dBackwardWeights(Tensor dy, Tensor x, Conv2dGeometry g, Tensor dw, Tensor dbias) {
        Check.conv2d(this, "conv2d weight gradient", g, x, dw, dbias, dy, "output gradient");
        Check.distinct("conv2d weight gradient", "weight gradient", dw, "input", x);
        if (dbias != null) {
            Check.distinct("conv2d weight gradient", "bias gradient", dbias, "input", x);
            Check.distinct("conv2d weight gradient", "bias gradient", dbias, "output gradient", dy);
            Check.distinct("conv2d weight gradient", "bias gradient", dbias, "weight gradient", dw);
        }
        kernels.conv2dBackwardWeights(g, dy.slice(), x.slice(), dw.slice(), dbias == null ? null : dbias.slice());
    }

    /**
     * Pools each channel: {@code x [batch, channels, height, width]} into {@code out [batch, channels,
     * outH, outW]}, windows as {@code g} (made by {@link Conv2dGeometry#pool}) describes.
     *
     * @param op max or average pooling
     * @param x the input, {@code [batch, channels, height, width]}; not changed
     * @param g a pooling geometry: one group per channel, padding at most half the window
     * @param out the output, {@code [batch, channels, outH, outW]}, overwritten; must not share memory with
     *        {@code x}
     * @throws IllegalArgumentException if {@code op} is {@code null}, {@code g} is {@code null} or not a pooling
     *         geometry, a tensor does not match it, or {@code out} shares memory with {@code x}
     */
    public void pool2d(PoolOp op, Tensor x, Conv2dGeometry g, Tensor out) {
        Check.pool2d(this, Check.operation("pool2d", "op", op).label(), g, x, out);
        kernels.pool2d(op, g, x.slice(), out.slice());
    }

    /**
     * The input gradient of {@link #pool2d}: {@code dx} (overwritten, x's shape) from {@code dOut}
     * (out's shape); max pooling reads the forward input and output to find each window's winner.
     *
     * @param op the forward pass's pooling
     * @param x the forward input, {@code [batch, channels, height, width]}; not changed
     * @param out the forward output, {@code [batch, channels, outH, outW]}; not changed
     * @param dOut the gradient with respect to {@code out}, out's shape; not changed
     * @param g the forward pass's geometry
     * @param dx the input gradient, x's shape, overwritten; must not share memory with {@code x},
     *        {@code out} or {@code dOut}
     * @throws IllegalArgumentException if {@code op} is {@code null}, {@code g} is {@code null} or not a pooling
     *         geometry, a tensor does not match it, or {@code dx} shares memory with another operand
     */
    public void pool2dBackward(PoolOp op, Tensor x, Tensor out, Tensor dOut, Conv2dGeometry g, Tensor dx) {
        String name = Check.operation("pool2dBackward", "op", op).backwardLabel();
        Check.pool2d(this, name, g, x, out);
        Check.pool2d(this, name, g, dx, dOut);
        if (dx.storage() == x.storage() || dx.storage() == out.storage()) {
            // max pooling reads x and out to find each window's winner while dx is written
            throw new IllegalArgumentException(name + ": the input gradient must not share memory with the forward"
                    + " input or output");
        }
        kernels.pool2dBackward(op, g, x.slice(), out.slice(), dOut.slice(), dx.slice());
    }

    /**
     * Shifts and mirrors each image of {@code x [batch, channels, height, width]} into {@code out}
     * (same shape, not sharing x's memory): a random crop of an image padded with zeros is a shift,
     * and a horizontal flip a mirror, so this is how augmentation moves a batch without leaving the
     * device. For image i, {@code dy = moves[3i]} and {@code dx = moves[3i + 1]} (each at most the
     * image's size either way) and {@code flip = moves[3i + 2]} (0 or 1) give
     * {@code out[i, c, h, w] = x[i, c, h + dy, (flip == 1 ? width - 1 - w : w) + dx]}, 0 outside x.
     *
     * @param x the images, {@code [batch, channels, height, width]}; not changed
     * @param moves three ints per image (row shift, column shift, flip), at least {@code 3 * batch}; not changed
     * @param out the moved images, x's shape, overwritten
     * @throws IllegalArgumentException if {@code x} is not 4-D, {@code out} differs in shape or shares its
     *         memory, or {@code moves} is {@code null}, too short or holds a move out of range
     */
    public void shiftImages(Tensor x, int[] moves, Tensor out) {
        Check.shiftImages(this, x, moves, out);
        kernels.shiftImages(x.dim(0), x.dim(1), x.dim(2), x.dim(3), x.slice(), moves, out.slice());
    }

    // ------------------------------------------------------------------ activations

    /**
     * {@code out = act(x)} elementwise.
     *
     * @param act the activation
     * @param param the activation's parameter (leaky ReLU's slope, ELU's alpha); ignored by activations
     *        without one
     * @param x the input, any shape; not changed unless it is {@code out}
     * @param out the output, x's shape, overwritten; may be {@code x} (in place)
     * @throws IllegalArgumentException if {@code act} is {@code null} or the shapes differ
     */
    public void activation(Activation act, float param, Tensor x, Tensor out) {
        Check.sameShape(this, Check.operation("activation", "act", act).label(), x, out);
        kernels.activation(act, param, x.size(), x.slice(), out.slice());
    }

    /**
     * {@code dx = dy * act'(x)} elementwise, where {@code y = act(x)} is the forward output. Each
     * activation reads whichever of x and y it needs ({@link Activation#backwardReadsInput()},
     * {@link Activation#backwardReadsOutput()}): ReLU, sigmoid, tanh, softplus only y; leaky ReLU,
     * both GELUs, SiLU, ELU, SELU, Mish and hard swish only x. The one not needed may be {@code null}. dx may be dy.
     *
     * @param act the forward pass's activation
     * @param param the forward pass's activation parameter
     * @param x the forward input, dy's shape, or {@code null} when {@code act} does not read it; not changed
     * @param y the forward output, dy's shape, or {@code null} when {@code act} does not read it; not changed
     * @param dy the gradient with respect to {@code y}; not changed unless it is {@code dx}
     * @param dx the gradient with respect to {@code x}, dy's shape, overwritten; may be {@code dy}
     * @throws IllegalArgumentException if {@code act} is {@code null}, the shapes differ or a tensor the activation
     *         needs is {@code null}
     */
    public void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = Check.operation("activationBackward", "act", act).backwardLabel();
        Check.sameShape(this, op, dy, dx);
        Check.sameShapeAs(this, op, dy, x);
        Check.sameShapeAs(this, op, dy, y);
        if (act.backwardReadsInput() && x == null) {
            throw new IllegalArgumentException(op + ": needs the forward input x, which is null");
        }
        if (act.backwardReadsOutput() && y == null) {
            throw new IllegalArgumentException(op + ": needs the forward output y, which is null");
        }
        kernels.activationBackward(act, param, dy.size(), x == null ? null : x.slice(), y == null ? null : y.slice(),
                dy.slice(), dx.slice());
    }

    // ------------------------------------------------------------------ optimizer updates (in place)

    /**
     * SGD as PyTorch defines it: {@code g' = g + wd * p}; with momentum, {@code v = mu * v + g'}
     * and g' becomes {@code v} (or {@code g' + mu * v} with Nesterov); then {@code p -= lr * g'}.
     * {@code velocity} may be {@code null} when momentum is 0.
     *
     * @param param the parameters, updated in place
     * @param grad the gradient, param's shape; not changed
     * @param velocity the momentum buffer, param's shape, updated in place; unused (and may be {@code null})
     *        when {@code momentum} is 0
     * @param lr the learning rate
     * @param momentum the momentum factor mu; 0 for plain SGD
     * @param weightDecay the L2 factor wd added to the gradient; 0 for none
     * @param nesterov whether to use Nesterov momentum
     * @throws IllegalArgumentException if a shape differs, or {@code velocity} is {@code null} with momentum
     */
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Check.update(this, "sgd", param, grad, velocity, null);
        if (momentum != 0f && velocity == null) {
            throw new IllegalArgumentException("sgd: momentum " + momentum + " needs a velocity tensor, got null");
        }
        kernels.sgdUpdate(param.size(), param.slice(), grad.slice(), momentum == 0f ? null : velocity.slice(), lr,
                momentum, weightDecay, nesterov);
    }

    /**
     * Adam / AdamW at step {@code t >= 1}: with {@code decoupled}, {@code p -= lr * wd * p} first (AdamW),
     * otherwise {@code g += wd * p} (L2); then {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
     * {@code p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}.
     *
     * @param param the parameters, updated in place
     * @param grad the gradient, param's shape; not changed
     * @param m the first-moment estimate, param's shape, updated in place (zeros before step 1)
     * @param v the second-moment estimate, param's shape, updated in place (zeros before step 1)
     * @param lr the learning rate
     * @param beta1 the first moment's decay b1, e.g. 0.9
     * @param beta2 the second moment's decay b2, e.g. 0.999
     * @param eps added to the denominator, e.g. 1e-8
     * @param weightDecay the decay factor wd; 0 for none
     * @param decoupled {@code true} for AdamW's decoupled decay, {@code false} for L2 added to the gradient
     * @param t the step number, counting from 1, for the bias corrections
     * @throws IllegalArgumentException if a state tensor is {@code null}, a shape differs, or {@code t < 1}
     */
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, long t) {
        Check.state("adam", m);
        Check.state("adam", v);
        Check.update(this, "adam", param, grad, m, v);
        if (t < 1) {
            throw new IllegalArgumentException("adam: step t = " + t + " must be at least 1");
        }
        // The bias corrections 1 - b^t, once per call, in double, then rounded.
        float correction1 = (float) (1.0 - Math.pow(beta1, t));
        float correction2 = (float) (1.0 - Math.pow(beta2, t));
        kernels.adamUpdate(param.size(), param.slice(), grad.slice(), m.slice(), v.slice(), lr, beta1, beta2, eps,
                weightDecay, decoupled, correction1, correction2);
    }

    /**
     * RMSProp: {@code g' = g + wd p; s = a s + (1-a) g'^2; p -= lr g' / (sqrt(s) + eps)}.
     *
     * @param param the parameters, updated in place
     * @param grad the gradient, param's shape; not changed
     * @param sq the running mean of squared gradients s, param's shape, updated in place
     * @param lr the learning rate
     * @param alpha the smoothing constant a, e.g. 0.99
     * @param eps added to the denominator
     * @param weightDecay the L2 factor wd; 0 for none
     * @throws IllegalArgumentException if {@code sq} is {@code null} or a shape differs
     */
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps,
            float weightDecay) {
        Check.state("rmsprop", sq);
        Check.update(this, "rmsprop", param, grad, sq, null);
        kernels.rmspropUpdate(param.size(), param.slice(), grad.slice(), sq.slice(), lr, alpha, eps, weightDecay);
    }

    /**
     * Adagrad: {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}.
     *
     * @param param the parameters, updated in place
     * @param grad the gradient, param's shape; not changed
     * @param sum the sum of squared gradients s, param's shape, updated in place
     * @param lr the learning rate
     * @param eps added to the denominator
     * @param weightDecay the L2 factor wd; 0 for none
     * @throws IllegalArgumentException if {@code sum} is {@code null} or a shape differs
     */
    public void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay) {
        Check.state("adagrad", sum);
        Check.update(this, "adagrad", param, grad, sum, null);
        kernels.adagradUpdate(param.size(), param.slice(), grad.slice(), sum.slice(), lr, eps, weightDecay);
    }

    // ------------------------------------------------------------------ fill, copy, random

    /**
     * Sets every element of t to {@code value}.
     *
     * @param t the tensor to overwrite, of this backend
     * @param value the value of every element
     * @throws IllegalArgumentException if {@code t} is {@code null} or belongs to another backend
     */
    public void fill(Tensor t, float value) {
        Check.present("fill", "tensor", t);
        Check.owned(this, t);
        kernels.fill(t.slice(), t.size(), value);
    }

    /**
     * Copies src into dst; they must have the same size (shapes may differ, as with a reshape).
     *
     * @param src the values, row-major; not changed
     * @param dst the tensor to overwrite, with as many elements as {@code src}; a no-op when it is
     *        {@code src} or a view starting at the same place
     * @throws IllegalArgumentException if either is {@code null} or the sizes differ
     */
    public void copy(Tensor src, Tensor dst) {
        Check.sameSize(this, "copy", src, dst);
        if (src.storage() == dst.storage() && src.offset() == dst.offset()) {
            return;
        }
        kernels.copy(src.slice(), dst.slice(), src.size());
    }

    /**
     * Uniform values in [lo, hi) from {@code seed}: element i is
     * {@code lo + (hi - lo) * CounterRandom.uniform(seed, i)}, the same on every backend.
     *
     * @param seed the stream to draw from; the same seed gives the same values
     * @param lo the lower bound, inclusive
     * @param hi the upper bound, exclusive
     * @param out the tensor to fill, any shape, overwritten
     * @throws IllegalArgumentException if {@code out} is {@code null} or belongs to another backend
     */
    public void randomUniform(long seed, float lo, float hi, Tensor out) {
        Check.present("randomUniform", "output", out);
        Check.owned(this, out);
        kernels.randomUniform(seed, lo, hi, out.size(), out.slice());
    }

    /**
     * Normal values: element i is {@code mean + std * CounterRandom.normal(seed, i)}.
     *
     * @param seed the stream to draw from; the same seed gives the same values
     * @param mean the mean
     * @param std the standard deviation
     * @param out the tensor to fill, any shape, overwritten
     * @throws IllegalArgumentException if {@code out} is {@code null} or belongs to another backend
     */
    public void randomNormal(long seed, float mean, float std, Tensor out) {
        Check.present("randomNormal", "output", out);
        Check.owned(this, out);
        kernels.randomNormal(seed, mean, std, out.size(), out.slice());
    }

    /**
     * A dropout mask: element i is {@code scale} if {@code CounterRandom.uniform(seed, i) < keep}, else 0.
     * Identical on every backend.
     *
     * @param seed the stream to draw from; the same seed gives the same mask
     * @param keep the probability of keeping an element, in [0, 1]
     * @param scale the value of kept elements, usually {@code 1 / keep}
     * @param out the mask, any shape, overwritten
     * @throws IllegalArgumentException if {@code keep} is not in [0, 1], or {@code out} is {@code null} or
     *         belongs to another backend
     */
    public void bernoulliMask(long seed, float keep, float scale, Tensor out) {
        Check.probability("bernoulliMask", keep);
        Check.present("bernoulliMask", "output", out);
        Check.owned(this, out);
        kernels.bernoulliMask(seed, keep, scale, out.size(), out.slice());
    }
}
