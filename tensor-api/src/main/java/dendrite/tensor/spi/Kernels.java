package dendrite.tensor.spi;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;

/**
 * What a backend implements: unchecked kernels over {@link Slice}s of its own {@link Storage}.
 *
 * <p>Users never call this. They call {@code dendrite.tensor.Backend}, the checked front, which
 * validates every argument once, with one set of messages for every backend (shapes, owners,
 * closed tensors, optimizer state, ranges), works out the sizes a kernel needs, and then calls it.
 * A kernel may therefore trust its arguments: every slice belongs to this backend and is alive,
 * every size fits, an output that must not overlap an input does not, and a tensor that an
 * operation needs is not {@code null}.
 *
 * <h2>Two kinds of method</h2>
 * <ul>
 *   <li><b>Primitives</b> (abstract): memory, GEMM, elementwise, reductions, rows, activations,
 *       image patches ({@link #im2col}, {@link #col2im}), pooling, random. A new backend is correct
 *       once it has written these.</li>
 *   <li><b>Fused kernels</b> ({@code default}): {@link #linear}, {@link #softmax},
 *       {@link #logSoftmax}, {@link #activationBackward}, {@link #affine}, {@link #pow},
 *       {@link #clamp}, the convolutions and the optimizer updates. Each default is built from the primitives
 *       ({@link Composites}); a backend overrides the ones that matter for its speed. The
 *       conformance suite runs the scalar backend with every default in force, so the defaults
 *       are proved against the same specification.</li>
 * </ul>
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Data is float32, row-major; a slice's elements are contiguous from its offset.</li>
 *   <li>Results go into an output slice; an elementwise output may be one of its inputs.</li>
 *   <li>NaN and infinities propagate as IEEE 754 says.</li>
 *   <li>Kernels may run asynchronously; {@link #read} waits for the ones before it.</li>
 *   <li>Kernels on different outputs may be called from several threads at once.</li>
 * </ul>
 * {@code backend-scalar}'s {@code ScalarKernels} is the reference: every other backend matches it
 * within each op's stated tolerance (the conformance suite in tensor-api's test-jar).
 */
public interface Kernels extends AutoCloseable {

    // ------------------------------------------------------------------ identity

    /** Short name, as in {@code -Ddendrite.backend}: {@code scalar}, {@code vector}, {@code opencl}. */
    String name();

    /** One line of capabilities for reports and logs: SIMD width, threads, device. */
    String description();

    // ------------------------------------------------------------------ memory (primitives)

    /** New zero-filled storage for {@code size} floats. */
    Storage allocate(int size);

    /** Copies {@code n} values from {@code src[srcOffset...]} into {@code dst}. */
    void write(float[] src, int srcOffset, Slice dst, int n);

    /** Copies {@code n} values of {@code src} into {@code dst[dstOffset...]}, after pending kernels. */
    void read(Slice src, float[] dst, int dstOffset, int n);

    /** Copies {@code n} values; the two ranges may overlap within one storage. */
    void copy(Slice src, Slice dst, int n);

    /** Sets {@code n} values to {@code value}. */
    void fill(Slice t, int n, float value);

    /**
     * Copies rows: row r of {@code out} is row {@code indices[from + r]} of {@code src}, for r in
     * [0, count), each row {@code rowLength} values. Every index is a row of src.
     */
    void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out);

    /**
     * The reverse of {@link #gatherRows}, adding: row {@code indices[from + r]} of {@code out} gets row
     * r of {@code src} added, for r in [0, count), each row {@code rowLength} values; a negative index
     * skips its row. Rows that share an index are added in increasing r, so the sums have the same
     * bits on every backend. Every non-negative index is a row of out.
     */
    void scatterAddRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out);

    /** Waits until every kernel issued so far has finished. Nothing to do on synchronous backends. */
    default void synchronize() {
    }

    /** The memory it holds, for leak checks; {@code null} when the garbage collector manages it. */
    default MemoryAccounting accounting() {
        return null;
    }

    /** Releases native resources (contexts, thread pools). Called once, by the front. */
    @Override
    default void close() {
    }

    // ------------------------------------------------------------------ linear algebra (primitives)

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}: op(A) is [m, k], op(B) [k, n], C [m, n], each
     * stored row-major without padding (A is [k, m] when transposed, B [n, k]). With
     * {@code beta == 0} C's old values are ignored, even NaN. C shares no memory with A or B.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta, Slice c);

    /** {@code out = transpose(a)}: a is [rows, cols], out [cols, rows]; they do not overlap. */
    void transpose(int rows, int cols, Slice a, Slice out);

    // ------------------------------------------------------------------ elementwise (primitives)

    /** {@code out = op(x)} for {@code n} values. */
    void unary(UnaryOp op, int n, Slice x, Slice out);

    /**
     * {@code out = op(a, b)} for a seen as {@code rows x cols}, b broadcast as {@code bc} says
     * (a's shape, one row of cols, one column of rows, or one value).
     */
    void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out);

    /** {@code out = act(x)} for {@code n} values; {@code param} is leaky ReLU's slope. */
    void activation(Activation act, float param, int n, Slice x, Slice out);

    // ------------------------------------------------------------------ reductions and rows (primitives)

    /**
     * Reduces x seen as {@code [outer, len, inner]} along the middle axis into out
     * {@code [outer, inner]}. A whole-tensor reduction is {@code outer = inner = 1}.
     */
    void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out);

    /** Index of the largest value in each of {@code rows} rows (first on ties, NaN largest), as floats. */
    void argmax(int rows, int cols, Slice x, Slice out);

    /**
     * One-hot rows: {@code out[i, j] = (j == labels[i]) ? on : off} for {@code n} labels and
     * {@code classes} columns. The values of labels are not checked by the front (that would need
     * a read from the device): a heap backend throws {@link IllegalArgumentException} naming a
     * label that is not a whole number in [0, classes) before writing anything; a device that
     * cannot report errors writes an all-{@code off} row.
     */
    void oneHot(int n, int classes, Slice labels, float on, float off, Slice out);

    // ------------------------------------------------------------------ images (primitives)

    /**
     * Unfolds the patches of one image for one group into columns: {@code image} is one image
     * {@code [channels, height, width]}; {@code cols} is {@code [patchSize, outH * outW]} in
     * {@link Conv2dGeometry}'s column layout, a tap in the padding reading 0.
     */
    void im2col(Conv2dGeometry g, int group, Slice image, Slice cols);

    /**
     * The adjoint of {@link #im2col}: adds each column value back onto the image position it was
     * read from ({@code image += fold(cols)}), taps in the padding dropped. How a convolution's
     * input gradient is gathered.
     */
    void col2im(Conv2dGeometry g, int group, Slice cols, Slice image);

    /**
     * Pools each channel of a batch {@code x [batch, channels, height, width]} into
     * {@code out [batch, channels, outH, outW]} as {@code op} says.
     */
    void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out);

    /**
     * The input gradient of {@link #pool2d}: {@code dx} (overwritten) from the output gradient
     * {@code dOut}; max pooling finds each window's winner again from {@code x} and {@code out}.
     */
    void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx);

    /**
     * Moves each image of {@code x [count, channels, height, width]} into {@code out} (same shape), as
     * the random crop with padding and the horizontal flip of data augmentation do. For image i, with
     * {@code dy = moves[3i]}, {@code dx = moves[3i + 1]} and {@code flip = moves[3i + 2]} (0 or 1):
     * {@code out[i, c, h, w] = x[i, c, h + dy, (flip == 1 ? width - 1 - w : w) + dx]}, and 0 where
     * that pixel lies outside the image. Only moves memory: no value is changed.
     */
    void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out);

    // ------------------------------------------------------------------ random (primitives)

    /** {@code out[i] = lo + (hi - lo) * CounterRandom.uniform(seed, i)} for i in [0, n). */
    void randomUniform(long seed, float lo, float hi, int n, Slice out);

    /** {@code out[i] = mean + std * CounterRandom.normal(seed, i)} for i in [0, n). */
    void randomNormal(long seed, float mean, float std, int n, Slice out);

    /** {@code out[i] = CounterRandom.uniform(seed, i) < keep ? scale : 0} for i in [0, n). */
    void bernoulliMask(long seed, float keep, float scale, int n, Slice out);

    // ------------------------------------------------------------------ fused kernels (defaults from primitives)

    /** {@code out = alpha * x + beta} for {@code n} values. */
    default void affine(int n, Slice x, float alpha, float beta, Slice out) {
        Composites.affine(this, n, x, alpha, beta, out);
    }

    /** {@code out = x ^ p} ({@link Math#pow} semantics) for {@code n} values. */
    default void pow(int n, Slice x, float p, Slice out) {
        Composites.pow(this, n, x, p, out);
    }

    /** {@code out = min(max(x, lo), hi)} for {@code n} values; NaN stays NaN. */
    default void clamp(int n, Slice x, float lo, float hi, Slice out) {
        Composites.clamp(this, n, x, lo, hi, out);
    }

    /**
     * A dense layer's forward pass: {@code out = act(x * w^T + bias)}, x [m, k], w [n, k], bias
     * [n] or {@code null}, out [m, n]. Fast backends fuse bias and activation into the GEMM's store.
     */
    default void linear(int m, int n, int k, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        Composites.linear(this, m, n, k, x, w, bias, act, actParam, out);
    }

    /** Softmax of each of {@code rows} rows, stable: {@code e^(x - max) / sum e^(x - max)}. */
    default void softmax(int rows, int cols, Slice x, Slice out) {
        Composites.softmax(this, rows, cols, x, out, false);
    }

    /** Log-softmax of each row, stable: {@code x - max - ln sum e^(x - max)}. */
    default void logSoftmax(int rows, int cols, Slice x, Slice out) {
        Composites.softmax(this, rows, cols, x, out, true);
    }

    /**
     * {@code dx = dy * act'(x)} for {@code n} values, from the forward input x or output y, as
     * {@link Activation#backwardReadsInput()} and {@link Activation#backwardReadsOutput()} say;
     * the one not read may be {@code null}. dx may be dy.
     */
    default void activationBackward(Activation act, float param, int n, Slice x, Slice y, Slice dy, Slice dx) {
        Composites.activationBackward(this, act, param, n, x, y, dy, dx);
    }

    /**
     * A 2-D convolution (PyTorch's {@code conv2d}, a cross-correlation): {@code x [batch, channels,
     * height, width]}, weights {@code w [outChannels, channels / groups, kernelH, kernelW]},
     * {@code bias [outChannels]} or {@code null}, {@code out [batch, outChannels, outH, outW]}.
     */
    default void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Slice out) {
        Composites.conv2d(this, g, x, w, bias, out);
    }

    /** A convolution's input gradient {@code dx} (overwritten) from the output gradient {@code dy}. */
    default void conv2dBackwardData(Conv2dGeometry g, Slice dy, Slice w, Slice dx) {
        Composites.conv2dBackwardData(this, g, dy, w, dx);
    }

    /**
     * A convolution's weight gradient {@code dw} and, unless {@code null}, bias gradient
     * {@code dbias} (both overwritten), summed over the batch.
     */
    default void conv2dBackwardWeights(Conv2dGeometry g, Slice dy, Slice x, Slice dw, Slice dbias) {
        Composites.conv2dBackwardWeights(this, g, dy, x, dw, dbias);
    }

    /**
     * SGD as PyTorch defines it, in place on {@code n} values: {@code g' = g + wd * p}; with
     * momentum {@code v = mu * v + g'} and g' becomes v (or {@code g' + mu * v} with Nesterov);
     * then {@code p -= lr * g'}. {@code velocity} is {@code null} when momentum is 0.
     */
    default void sgdUpdate(int n, Slice param, Slice grad, Slice velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Composites.sgd(this, n, param, grad, velocity, lr, momentum, weightDecay, nesterov);
    }

    /**
     * Adam (L2 decay) or AdamW ({@code decoupled}) at step {@code t >= 1}, in place on {@code n}
     * values; {@code biasCorrection1 = 1 - beta1^t} and {@code biasCorrection2 = 1 - beta2^t} are
     * computed once by the front, in double precision.
     */
    default void adamUpdate(int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        Composites.adam(this, n, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1,
                biasCorrection2);
    }

    /** RMSProp in place: {@code g' = g + wd p; s = a s + (1-a) g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    default void rmspropUpdate(int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        Composites.rmsprop(this, n, param, grad, sq, lr, alpha, eps, weightDecay);
    }

    /** Adagrad in place: {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}. */
    default void adagradUpdate(int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        Composites.adagrad(this, n, param, grad, sum, lr, eps, weightDecay);
    }
}
