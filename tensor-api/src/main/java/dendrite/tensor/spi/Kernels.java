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
 *   <li><b>Fused kernels</b> ({@code default}): {@link #linear} (and {@link #linearPacked}), {@link #batchedGemm}, {@link #softmax},
 *       {@link #logSoftmax}, {@link #layerNorm}, {@link #layerNormBackward}, {@link #activationBackward},
 *       {@link #affine}, {@link #pow},
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

    /**
     * Short name, as in {@code -Ddendrite.backend}: {@code scalar}, {@code vector}, {@code opencl}.
     *
     * @return the name, lower case, the same for the life of these kernels
     */
    String name();

    /**
     * One line of capabilities for reports and logs: SIMD width, threads, device.
     *
     * @return a description for people to read, not a stable format
     */
    String description();

    // ------------------------------------------------------------------ memory (primitives)

    /**
     * New zero-filled storage for {@code size} floats.
     *
     * @param size the number of floats, at least 1
     * @return new storage owned by the caller (the tensor made over it), who releases it once
     */
    Storage allocate(int size);

    /**
     * Copies {@code n} values from {@code src[srcOffset...]} into {@code dst}.
     *
     * @param src the host values; not changed, and not kept after the call returns
     * @param srcOffset the index in {@code src} of the first value
     * @param dst the destination, {@code n} values from its offset, overwritten
     * @param n the number of values
     */
    void write(float[] src, int srcOffset, Slice dst, int n);

    /**
     * Copies {@code n} values of {@code src} into {@code dst[dstOffset...]}, after pending kernels.
     *
     * @param src the source, {@code n} values from its offset; not changed
     * @param dst the host array to fill; only {@code n} values from {@code dstOffset} are written
     * @param dstOffset the index in {@code dst} of the first value
     * @param n the number of values
     */
    void read(Slice src, float[] dst, int dstOffset, int n);

    /**
     * Copies {@code n} values; the two ranges may overlap within one storage.
     *
     * @param src the source, {@code n} values from its offset
     * @param dst the destination, {@code n} values from its offset, overwritten
     * @param n the number of values
     */
    void copy(Slice src, Slice dst, int n);

    /**
     * Sets {@code n} values to {@code value}.
     *
     * @param t the values to overwrite, {@code n} from its offset
     * @param n the number of values
     * @param value the value to store
     */
    void fill(Slice t, int n, float value);

    /**
     * Copies rows: row r of {@code out} is row {@code indices[from + r]} of {@code src}, for r in
     * [0, count), each row {@code rowLength} values. Every index is a row of src.
     *
     * @param src the rows to pick from, {@code [rows, rowLength]}; not changed
     * @param indices the row numbers; entries {@code [from, from + count)} are used
     * @param from the position in {@code indices} of out's row 0
     * @param count the number of rows to copy, out's first dimension
     * @param rowLength the values per row
     * @param out the gathered rows, {@code [count, rowLength]}, overwritten
     */
    void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out);

    /**
     * The reverse of {@link #gatherRows}, adding: row {@code indices[from + r]} of {@code out} gets row
     * r of {@code src} added, for r in [0, count), each row {@code rowLength} values; a negative index
     * skips its row. Rows that share an index are added in increasing r, so the sums have the same
     * bits on every backend. Every non-negative index is a row of out.
     *
     * @param src the rows to add, {@code [count, rowLength]}; not changed
     * @param indices the destination rows; entries {@code [from, from + count)} are used
     * @param from the position in {@code indices} of src's row 0
     * @param count the number of rows of {@code src}
     * @param rowLength the values per row
     * @param out the accumulator, {@code [rows, rowLength]}, added to in place
     */
    void scatterAddRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out);

    /**
     * Copies a block of columns between two row-major matrices with the same number of rows: for r in
     * [0, rows) and c in [0, width), {@code dst[r, dstFrom + c] = src[r, srcFrom + c]}. Concatenating
     * tensors along an axis and splitting them again are this copy (each part is a block of columns
     * once the axes before the joined one are folded into rows).
     *
     * @param src       the source matrix, {@code [rows, srcColumns]}; not changed
     * @param srcColumns the source's row length
     * @param srcFrom   the first source column copied
     * @param dst       the destination matrix, {@code [rows, dstColumns]}, a different storage from {@code src};
     *                  only the block is written
     * @param dstColumns the destination's row length
     * @param dstFrom   the first destination column written
     * @param rows      the number of rows of both
     * @param width     the number of columns copied
     */
    void copyColumns(Slice src, int srcColumns, int srcFrom, Slice dst, int dstColumns, int dstFrom, int rows,
            int width);

    /** Waits until every kernel issued so far has finished. Nothing to do on synchronous backends. */
    default void synchronize() {
    }

    /**
     * The memory it holds, for leak checks; {@code null} when the garbage collector manages it.
     *
     * @return live counters, read at each call of their methods, or {@code null} (the default)
     */
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
     *
     * @param transA whether A is stored transposed, as [k, m]
     * @param transB whether B is stored transposed, as [n, k]
     * @param m the rows of op(A) and C
     * @param n the columns of op(B) and C
     * @param k the inner dimension: columns of op(A), rows of op(B)
     * @param alpha the factor on the product
     * @param a A, [m, k] or [k, m]; not changed
     * @param b B, [k, n] or [n, k]; not changed
     * @param beta the factor on C's old values
     * @param c C, [m, n], updated in place
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta, Slice c);

    /**
     * {@code out = transpose(a)}: a is [rows, cols], out [cols, rows]; they do not overlap.
     *
     * @param rows a's rows
     * @param cols a's columns
     * @param a the matrix, [rows, cols]; not changed
     * @param out the transpose, [cols, rows], overwritten
     */
    void transpose(int rows, int cols, Slice a, Slice out);

    // ------------------------------------------------------------------ elementwise (primitives)

    /**
     * {@code out = op(x)} for {@code n} values.
     *
     * @param op the function
     * @param n the number of values
     * @param x the input, {@code n} values
     * @param out the output, {@code n} values, overwritten; may be {@code x}
     */
    void unary(UnaryOp op, int n, Slice x, Slice out);

    /**
     * {@code out = op(a, b)} for a seen as {@code rows x cols}, b broadcast as {@code bc} says
     * (a's shape, one row of cols, one column of rows, or one value).
     *
     * @param op the function
     * @param bc how {@code b} lines up with {@code a}
     * @param rows a's rows (the product of its leading dimensions)
     * @param cols a's columns (its last dimension)
     * @param a the first operand, {@code rows * cols} values
     * @param b the second operand: {@code rows * cols}, {@code cols}, {@code rows} or 1 values, as {@code bc} says
     * @param out the output, {@code rows * cols} values, overwritten; may be {@code a}, or {@code b} when
     *        {@code bc} is {@link Broadcast#SAME}
     */
    void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out);

    /**
     * {@code out = act(x)} for {@code n} values; {@code param} is leaky ReLU's slope.
     *
     * @param act the activation
     * @param param leaky ReLU's negative slope, ELU's alpha; ignored by the others
     * @param n the number of values
     * @param x the input, {@code n} values
     * @param out the output, {@code n} values, overwritten; may be {@code x}
     */
    void activation(Activation act, float param, int n, Slice x, Slice out);

    // ------------------------------------------------------------------ reductions and rows (primitives)

    /**
     * Reduces x seen as {@code [outer, len, inner]} along the middle axis into out
     * {@code [outer, inner]}. A whole-tensor reduction is {@code outer = inner = 1}.
     *
     * @param op the reduction
     * @param outer the product of the dimensions before the reduced axis
     * @param len the length of the reduced axis, at least 1
     * @param inner the product of the dimensions after the reduced axis
     * @param x the input, {@code outer * len * inner} values; not changed
     * @param out the output, {@code outer * inner} values, overwritten
     */
    void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out);

    /**
     * Index of the largest value in each of {@code rows} rows (first on ties, NaN largest), as floats.
     *
     * @param rows the number of rows
     * @param cols the values per row
     * @param x the input, [rows, cols]; not changed
     * @param out the indices, {@code rows} values in [0, cols), overwritten
     */
    void argmax(int rows, int cols, Slice x, Slice out);

    /**
     * One-hot rows: {@code out[i, j] = (j == labels[i]) ? on : off} for {@code n} labels and
     * {@code classes} columns. The values of labels are not checked by the front (that would need
     * a read from the device): a heap backend throws {@link IllegalArgumentException} naming a
     * label that is not a whole number in [0, classes) before writing anything; a device that
     * cannot report errors writes an all-{@code off} row.
     *
     * @param n the number of labels, out's rows
     * @param classes the number of classes, out's columns
     * @param labels the class indices as floats, {@code n} values; not changed
     * @param on the value at each row's label
     * @param off the value everywhere else
     * @param out the output, [n, classes], overwritten
     */
    void oneHot(int n, int classes, Slice labels, float on, float off, Slice out);

    // ------------------------------------------------------------------ images (primitives)

    /**
     * Unfolds the patches of one image for one group into columns: {@code image} is one image
     * {@code [channels, height, width]}; {@code cols} is {@code [patchSize, outH * outW]} in
     * {@link Conv2dGeometry}'s column layout, a tap in the padding reading 0.
     *
     * @param g the geometry; its {@code batch} is not used
     * @param group which group's channels to unfold, in [0, groups)
     * @param image the whole image, {@code [channels, height, width]}; not changed
     * @param cols the columns, {@code [patchSize, outH * outW]}, overwritten
     */
    void im2col(Conv2dGeometry g, int group, Slice image, Slice cols);

    /**
     * The adjoint of {@link #im2col}: adds each column value back onto the image position it was
     * read from ({@code image += fold(cols)}), taps in the padding dropped. How a convolution's
     * input gradient is gathered.
     *
     * @param g the geometry; its {@code batch} is not used
     * @param group which group's channels to fold onto, in [0, groups)
     * @param cols the columns, {@code [patchSize, outH * outW]}; not changed
     * @param image the whole image, {@code [channels, height, width]}, added to (not cleared first)
     */
    void col2im(Conv2dGeometry g, int group, Slice cols, Slice image);

    /**
     * Pools each channel of a batch {@code x [batch, channels, height, width]} into
     * {@code out [batch, channels, outH, outW]} as {@code op} says.
     *
     * @param op max or average
     * @param g a pooling geometry (one group per channel)
     * @param x the input, {@code [batch, channels, height, width]}; not changed
     * @param out the output, {@code [batch, channels, outH, outW]}, overwritten
     */
    void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out);

    /**
     * The input gradient of {@link #pool2d}: {@code dx} (overwritten) from the output gradient
     * {@code dOut}; max pooling finds each window's winner again from {@code x} and {@code out}.
     *
     * @param op the forward pass's pooling
     * @param g the forward pass's geometry
     * @param x the forward input, {@code [batch, channels, height, width]}; not changed
     * @param out the forward output, {@code [batch, channels, outH, outW]}; not changed
     * @param dOut the output gradient, out's shape; not changed
     * @param dx the input gradient, x's shape, overwritten; shares memory with none of the others
     */
    void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx);

    /**
     * Moves each image of {@code x [count, channels, height, width]} into {@code out} (same shape), as
     * the random crop with padding and the horizontal flip of data augmentation do. For image i, with
     * {@code dy = moves[3i]}, {@code dx = moves[3i + 1]} and {@code flip = moves[3i + 2]} (0 or 1):
     * {@code out[i, c, h, w] = x[i, c, h + dy, (flip == 1 ? width - 1 - w : w) + dx]}, and 0 where
     * that pixel lies outside the image. Only moves memory: no value is changed.
     *
     * @param count the number of images
     * @param channels the channels per image
     * @param height the rows per image
     * @param width the columns per image
     * @param x the images; not changed
     * @param moves three ints per image, checked by the front: shifts within the image's size, flip 0 or 1
     * @param out the moved images, x's shape, overwritten; does not overlap x
     */
    void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out);

    // ------------------------------------------------------------------ random (primitives)

    /**
     * {@code out[i] = lo + (hi - lo) * CounterRandom.uniform(seed, i)} for i in [0, n).
     *
     * @param seed the stream
     * @param lo the lower bound, inclusive
     * @param hi the upper bound, exclusive
     * @param n the number of values
     * @param out the output, {@code n} values, overwritten
     */
    void randomUniform(long seed, float lo, float hi, int n, Slice out);

    /**
     * {@code out[i] = mean + std * CounterRandom.normal(seed, i)} for i in [0, n).
     *
     * @param seed the stream
     * @param mean the mean
     * @param std the standard deviation
     * @param n the number of values
     * @param out the output, {@code n} values, overwritten
     */
    void randomNormal(long seed, float mean, float std, int n, Slice out);

    /**
     * {@code out[i] = CounterRandom.uniform(seed, i) < keep ? scale : 0} for i in [0, n).
     *
     * @param seed the stream
     * @param keep the probability of keeping a value, in [0, 1]
     * @param scale the value of kept elements
     * @param n the number of values
     * @param out the mask, {@code n} values, overwritten
     */
    void bernoulliMask(long seed, float keep, float scale, int n, Slice out);

    // ------------------------------------------------------------------ fused kernels (defaults from primitives)

    /**
     * {@code out = alpha * x + beta} for {@code n} values.
     *
     * @param n the number of values
     * @param x the input, {@code n} values
     * @param alpha the factor
     * @param beta the offset
     * @param out the output, {@code n} values, overwritten; may be {@code x}
     */
    default void affine(int n, Slice x, float alpha, float beta, Slice out) {
        Composites.affine(this, n, x, alpha, beta, out);
    }

    /**
     * {@code out = x ^ p} ({@link Math#pow} semantics) for {@code n} values.
     *
     * @param n the number of values
     * @param x the bases, {@code n} values
     * @param p the exponent
     * @param out the output, {@code n} values, overwritten; may be {@code x}
     */
    default void pow(int n, Slice x, float p, Slice out) {
        Composites.pow(this, n, x, p, out);
    }

    /**
     * {@code out = min(max(x, lo), hi)} for {@code n} values; NaN stays NaN.
     *
     * @param n the number of values
     * @param x the input, {@code n} values
     * @param lo the lower bound
     * @param hi the upper bound, applied last
     * @param out the output, {@code n} values, overwritten; may be {@code x}
     */
    default void clamp(int n, Slice x, float lo, float hi, Slice out) {
        Composites.clamp(this, n, x, lo, hi, out);
    }

    /**
     * A dense layer's forward pass: {@code out = act(x * w^T + bias)}, x [m, k], w [n, k], bias
     * [n] or {@code null}, out [m, n]. Fast backends fuse bias and activation into the GEMM's store.
     *
     * @param m the rows of x and out (the batch)
     * @param n the output features: rows of w, columns of out
     * @param k the input features: columns of x and w
     * @param x the input, [m, k]; not changed
     * @param w the weights, [n, k]; not changed
     * @param bias the bias, n values, or {@code null}; not changed
     * @param act the activation, never {@code null} ({@link Activation#IDENTITY} for none)
     * @param actParam leaky ReLU's slope, ELU's alpha; ignored by the others
     * @param out the output, [m, n], overwritten; does not overlap x or w
     */
    default void linear(int m, int n, int k, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        Composites.linear(this, m, n, k, x, w, bias, act, actParam, out);
    }

    /**
     * Floats of storage that {@link #packWeights} writes for weights [n, k]: by default {@code n * k}, a
     * plain copy. A backend that packs the weights of {@link #linear} on every call (into the panels
     * its GEMM reads) packs them here once instead, for {@link #linearPacked}.
     *
     * @param n the output features: rows of the weights
     * @param k the input features: columns of the weights
     * @return the size of the packed form, at least {@code n * k}
     */
    default int packedWeightsSize(int n, int k) {
        return n * k;
    }

    /**
     * Writes weights [n, k] into {@code dst} in the form {@link #linearPacked} reads: by default a copy.
     *
     * @param n the output features
     * @param k the input features
     * @param w the weights, [n, k]; not changed
     * @param dst {@link #packedWeightsSize} values from its offset, overwritten; does not overlap w
     */
    default void packWeights(int n, int k, Slice w, Slice dst) {
        copy(w, dst, n * k);
    }

    /**
     * {@link #linear} with the weights as {@link #packWeights} wrote them: the same values, bit for bit,
     * as {@code linear} on the weights they were packed from. By default the packed form is the copy,
     * and this is {@code linear} on it.
     *
     * @param m the rows of x and out (the batch)
     * @param n the output features
     * @param k the input features
     * @param x the input, [m, k]; not changed
     * @param packed the weights packed by {@link #packWeights}; not changed
     * @param bias the bias, n values, or {@code null}; not changed
     * @param act the activation, never {@code null}
     * @param actParam leaky ReLU's slope, ELU's alpha; ignored by the others
     * @param out the output, [m, n], overwritten; does not overlap x or the packed weights
     */
    default void linearPacked(int m, int n, int k, Slice x, Slice packed, Slice bias, Activation act, float actParam,
            Slice out) {
        linear(m, n, k, x, packed, bias, act, actParam, out);
    }

    /**
     * {@code C[i] = alpha * op(A[i]) * op(B[i]) + beta * C[i]} for i in [0, batch): {@link #gemm} on
     * each of {@code batch} products stored one after another without gaps (A[i] starts {@code m * k}
     * values after A[i - 1], B[i] {@code k * n} after B[i - 1], C[i] {@code m * n} after C[i - 1]).
     * C shares no memory with A or B.
     *
     * @param transA whether each A[i] is stored transposed, as [k, m]
     * @param transB whether each B[i] is stored transposed, as [n, k]
     * @param batch the number of products, at least 1
     * @param m the rows of each op(A[i]) and C[i]
     * @param n the columns of each op(B[i]) and C[i]
     * @param k the inner dimension of each product
     * @param alpha the factor on each product
     * @param a the A[i], {@code batch * m * k} values; not changed
     * @param b the B[i], {@code batch * k * n} values; not changed
     * @param beta the factor on C's old values; 0 ignores them, even NaN
     * @param c the C[i], {@code batch * m * n} values, updated in place
     */
    default void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Slice a,
            Slice b, float beta, Slice c) {
        Composites.batchedGemm(this, transA, transB, batch, m, n, k, alpha, a, b, beta, c);
    }

    /**
     * Softmax of each of {@code rows} rows, stable: {@code e^(x - max) / sum e^(x - max)}.
     *
     * @param rows the number of rows
     * @param cols the values per row
     * @param x the logits, [rows, cols]
     * @param out the probabilities, [rows, cols], overwritten; may be {@code x}
     */
    default void softmax(int rows, int cols, Slice x, Slice out) {
        Composites.softmax(this, rows, cols, x, out, false);
    }

    /**
     * Log-softmax of each row, stable: {@code x - max - ln sum e^(x - max)}.
     *
     * @param rows the number of rows
     * @param cols the values per row
     * @param x the logits, [rows, cols]
     * @param out the log-probabilities, [rows, cols], overwritten; may be {@code x}
     */
    default void logSoftmax(int rows, int cols, Slice x, Slice out) {
        Composites.softmax(this, rows, cols, x, out, true);
    }

    /**
     * Layer normalization of {@code rows} rows of {@code cols} values: per row, {@code mean = sum x / cols},
     * {@code var = sum (x - mean)^2 / cols} (a second pass), {@code rstd = 1 / sqrt(var + eps)} and
     * {@code out = (x - mean) * rstd * gamma + beta}, gamma and beta read along the row.
     *
     * @param rows the number of rows
     * @param cols the values per row
     * @param x the input, [rows, cols]
     * @param gamma the scale, {@code cols} values, or {@code null} for 1
     * @param beta the shift, {@code cols} values, or {@code null} for 0
     * @param eps added to the variance, at least 0
     * @param out the output, [rows, cols], overwritten; may be {@code x}
     * @param mean each row's mean, {@code rows} values, overwritten; overlaps no other operand
     * @param rstd each row's {@code 1 / sqrt(var + eps)}, {@code rows} values, overwritten; overlaps no other operand
     */
    default void layerNorm(int rows, int cols, Slice x, Slice gamma, Slice beta, float eps, Slice out, Slice mean,
            Slice rstd) {
        Composites.layerNorm(this, rows, cols, x, gamma, beta, eps, out, mean, rstd);
    }

    /**
     * The gradients of {@link #layerNorm}: with {@code xhat = (x - mean) * rstd} and {@code g = dy * gamma}
     * (dy when gamma is {@code null}), per row {@code dx = (g - sum g / cols - xhat * sum (g xhat) / cols) * rstd};
     * {@code dgamma = sum_rows dy * xhat} and {@code dbeta = sum_rows dy}, each column summed in increasing row.
     *
     * @param rows the number of rows
     * @param cols the values per row
     * @param x the forward input, [rows, cols]
     * @param mean the forward pass's row means, {@code rows} values
     * @param rstd the forward pass's row reciprocal standard deviations, {@code rows} values
     * @param gamma the forward pass's scale, {@code cols} values, or {@code null}
     * @param dy the output gradient, [rows, cols]
     * @param dx the input gradient, [rows, cols], overwritten; overlaps no other operand
     * @param dgamma gamma's gradient, {@code cols} values, overwritten; or {@code null} to skip it
     * @param dbeta beta's gradient, {@code cols} values, overwritten; or {@code null} to skip it
     */
    default void layerNormBackward(int rows, int cols, Slice x, Slice mean, Slice rstd, Slice gamma, Slice dy,
            Slice dx, Slice dgamma, Slice dbeta) {
        Composites.layerNormBackward(this, rows, cols, x, mean, rstd, gamma, dy, dx, dgamma, dbeta);
    }

    /**
     * {@code dx = dy * act'(x)} for {@code n} values, from the forward input x or output y, as
     * {@link Activation#backwardReadsInput()} and {@link Activation#backwardReadsOutput()} say;
     * the one not read may be {@code null}. dx may be dy.
     *
     * @param act the forward pass's activation
     * @param param the forward pass's parameter (leaky ReLU's slope, ELU's alpha)
     * @param n the number of values
     * @param x the forward input, {@code n} values, or {@code null} when {@code act} does not read it
     * @param y the forward output, {@code n} values, or {@code null} when {@code act} does not read it
     * @param dy the output gradient, {@code n} values
     * @param dx the input gradient, {@code n} values, overwritten; may be {@code dy}
     */
    default void activationBackward(Activation act, float param, int n, Slice x, Slice y, Slice dy, Slice dx) {
        Composites.activationBackward(this, act, param, n, x, y, dy, dx);
    }

    /**
     * A 2-D convolution (PyTorch's {@code conv2d}, a cross-correlation): {@code x [batch, channels,
     * height, width]}, weights {@code w [outChannels, channels / groups, kernelH, kernelW]},
     * {@code bias [outChannels]} or {@code null}, {@code out [batch, outChannels, outH, outW]}.
     *
     * @param g the geometry
     * @param x the input; not changed
     * @param w the weights; not changed
     * @param bias the bias, or {@code null}; not changed
     * @param out the output, overwritten; does not overlap x or w
     */
    default void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Slice out) {
        Composites.conv2d(this, g, x, w, bias, out);
    }

    /**
     * {@link #conv2d} with an activation applied to its output, {@code out = act(conv(x, w) + bias)}:
     * the same values, bit for bit, as {@code conv2d} followed by {@link #activation} on out. By
     * default those two calls; a backend that writes the output in a last pass of its own (the vector
     * backend's copy out of the GEMM) applies the activation there, saving a pass over the output.
     *
     * @param g the geometry
     * @param x the input; not changed
     * @param w the weights; not changed
     * @param bias the bias, or {@code null}; not changed
     * @param act the activation, never {@code null} ({@link Activation#IDENTITY} for none)
     * @param actParam leaky ReLU's slope, ELU's alpha; ignored by the others
     * @param out the output, overwritten; does not overlap x or w
     */
    default void conv2d(Conv2dGeometry g, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        conv2d(g, x, w, bias, out);
        if (act != Activation.IDENTITY) {
            activation(act, actParam, g.batch() * g.outImageSize(), out, out);
        }
    }

    /**
     * A convolution's input gradient {@code dx} (overwritten) from the output gradient {@code dy}.
     *
     * @param g the forward pass's geometry
     * @param dy the output gradient, {@code [batch, outChannels, outH, outW]}; not changed
     * @param w the weights, {@code [outChannels, channels / groups, kernelH, kernelW]}; not changed
     * @param dx the input gradient, {@code [batch, channels, height, width]}, overwritten; overlaps neither
     */
    default void conv2dBackwardData(Conv2dGeometry g, Slice dy, Slice w, Slice dx) {
        Composites.conv2dBackwardData(this, g, dy, w, dx);
    }

    /**
     * A convolution's weight gradient {@code dw} and, unless {@code null}, bias gradient
     * {@code dbias} (both overwritten), summed over the batch.
     *
     * @param g the forward pass's geometry
     * @param dy the output gradient, {@code [batch, outChannels, outH, outW]}; not changed
     * @param x the forward input, {@code [batch, channels, height, width]}; not changed
     * @param dw the weight gradient, {@code [outChannels, channels / groups, kernelH, kernelW]}, overwritten
     * @param dbias the bias gradient, {@code outChannels} values, overwritten; or {@code null} to skip
     */
    default void conv2dBackwardWeights(Conv2dGeometry g, Slice dy, Slice x, Slice dw, Slice dbias) {
        Composites.conv2dBackwardWeights(this, g, dy, x, dw, dbias);
    }

    /**
     * SGD as PyTorch defines it, in place on {@code n} values: {@code g' = g + wd * p}; with
     * momentum {@code v = mu * v + g'} and g' becomes v (or {@code g' + mu * v} with Nesterov);
     * then {@code p -= lr * g'}. {@code velocity} is {@code null} when momentum is 0.
     *
     * @param n the number of values
     * @param param the parameters p, updated in place
     * @param grad the gradient g; not changed
     * @param velocity the momentum buffer v, updated in place; {@code null} when momentum is 0
     * @param lr the learning rate
     * @param momentum the momentum factor mu
     * @param weightDecay the L2 factor wd
     * @param nesterov whether to use Nesterov momentum
     */
    default void sgdUpdate(int n, Slice param, Slice grad, Slice velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Composites.sgd(this, n, param, grad, velocity, lr, momentum, weightDecay, nesterov);
    }

    /**
     * Adam (L2 decay) or AdamW ({@code decoupled}) at step {@code t >= 1}, in place on {@code n}
     * values; {@code biasCorrection1 = 1 - beta1^t} and {@code biasCorrection2 = 1 - beta2^t} are
     * computed once by the front, in double precision.
     *
     * @param n the number of values
     * @param param the parameters, updated in place
     * @param grad the gradient; not changed
     * @param m the first-moment estimate, updated in place
     * @param v the second-moment estimate, updated in place
     * @param lr the learning rate
     * @param beta1 the first moment's decay
     * @param beta2 the second moment's decay
     * @param eps added to the denominator
     * @param weightDecay the decay factor
     * @param decoupled {@code true} for AdamW (decay the parameters), {@code false} for L2 (add to the gradient)
     * @param biasCorrection1 {@code 1 - beta1^t}
     * @param biasCorrection2 {@code 1 - beta2^t}
     */
    default void adamUpdate(int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        Composites.adam(this, n, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1,
                biasCorrection2);
    }

    /**
     * RMSProp in place: {@code g' = g + wd p; s = a s + (1-a) g'^2; p -= lr g' / (sqrt(s) + eps)}.
     *
     * @param n the number of values
     * @param param the parameters p, updated in place
     * @param grad the gradient g; not changed
     * @param sq the running mean of squares s, updated in place
     * @param lr the learning rate
     * @param alpha the smoothing constant a
     * @param eps added to the denominator
     * @param weightDecay the L2 factor wd
     */
    default void rmspropUpdate(int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        Composites.rmsprop(this, n, param, grad, sq, lr, alpha, eps, weightDecay);
    }

    /**
     * Adagrad in place: {@code g' = g + wd p; s += g'^2; p -= lr g' / (sqrt(s) + eps)}.
     *
     * @param n the number of values
     * @param param the parameters p, updated in place
     * @param grad the gradient g; not changed
     * @param sum the sum of squares s, updated in place
     * @param lr the learning rate
     * @param eps added to the denominator
     * @param weightDecay the L2 factor wd
     */
    default void adagradUpdate(int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        Composites.adagrad(this, n, param, grad, sum, lr, eps, weightDecay);
    }
}
