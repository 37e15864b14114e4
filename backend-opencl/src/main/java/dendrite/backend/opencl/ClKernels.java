package dendrite.backend.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

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
import dendrite.tensor.spi.Storage;

/**
 * The OpenCL backend's kernels: every storage is a device buffer ({@link ClBuffer}), every kernel
 * one launch enqueued on one in-order command queue. Nothing is copied to the host except by
 * {@link #read} (and {@link #write}, {@link #gatherRows} upload their inputs); the queue is
 * drained only by reads, {@link #synchronize()} and the blocking uploads (a write, the row indices of
 * gatherRows, scatterAddRows and shiftImages), so the ops between them pipeline on the device.
 *
 * <p>Users reach it through the checked front, which validates every argument before a kernel
 * here runs, so the kernels check nothing:
 * <pre>{@code
 * Backend be = Backends.get("opencl");
 * try (Scope scope = Scope.open()) {
 *     Tensor a = be.tensor(new float[] {1, 2, 3, 4}, 2, 2);
 *     Tensor c = be.zeros(2, 2);
 *     be.gemm(false, false, 1f, a, a, 0f, c);
 *     float[] values = c.toArray();   // waits for the kernel
 * }
 * }</pre>
 * Tests that need a backend of their own use {@code Backend.of(provider.create())} and reach
 * these kernels, for the test seams, with {@code (ClKernels) be.kernels()}.
 *
 * <p>Thread-safe: enqueues are serialized by one lock (kernel arguments are shared state).
 * OpenCL errors surface as {@link ClException} naming the op, the OpenCL call and the CL error
 * code, whether JOCL's exceptions are enabled or not, and leave the backend usable (see
 * {@link ClException}); an allocation that fails after the pool is emptied surfaces as
 * {@link ClOutOfMemoryException}.
 */
public final class ClKernels implements Kernels {
    /** Work-items per group for 1-D kernels and group reductions: one fixed size (see {@link Launch#run1}). */
    static final int WG = 256;
    /** Side of the transpose kernel's square work-group. */
    static final int TILE = 16;
    /** Rows at most this long get one work-item each in softmax and argmax; longer ones a work-group. */
    static final int SERIAL_ROW = 64;
    /** Staging buffers up to this size are kept between transfers. */
    private static final int KEEP_STAGING = 16 << 20;

    private final ClDevices.Device device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClMemory memory;
    private final ClPrograms programs;
    private final ClGemm gemm;
    private final Object lock = new Object();
    /** See {@link #injectFault}; null outside tests. */
    private volatile Launch.Fault fault;
    private ByteBuffer staging;
    private volatile boolean closed;

    ClKernels(ClDevices.Device device) {
        this.device = device;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        cl_device_id[] ids = {device.id()};
        this.context = JvmSignalHandlers.restoredAfter(() -> clCreateContext(props, 1, ids, null, null, null));
        @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties needs OpenCL 2.0; this runs on 1.2
        cl_command_queue q = clCreateCommandQueue(context, device.id(), 0, null);
        this.queue = q;
        this.memory = new ClMemory(ClMemory.Driver.of(context), device.globalMemBytes(), device.maxAllocBytes());
        ClGemm.Tiles tiles = ClGemm.Tiles.fromProperty();
        this.programs = new ClPrograms(context, device.id(),
                ClPrograms.options(WG, TILE, tiles, device.fp64(), correctlyRoundedDivide(device.id())));
        this.gemm = new ClGemm(tiles);
    }

    /** The device's largest single allocation (CL_DEVICE_MAX_MEM_ALLOC_SIZE), in bytes. */
    long maxAllocBytes() {
        return device.maxAllocBytes();
    }

    private static boolean correctlyRoundedDivide(cl_device_id id) {
        long[] config = new long[1];
        clGetDeviceInfo(id, CL_DEVICE_SINGLE_FP_CONFIG, Sizeof.cl_ulong, Pointer.to(config), null);
        return (config[0] & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }

    // ------------------------------------------------------------------ identity

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String description() {
        return "OpenCL on " + device.summary() + ", GEMM " + gemm.tiles();
    }

    /**
     * Seconds spent so far in {@code clBuildProgram}, for reports.
     *
     * @return the wall-clock time of every program built by these kernels so far, in seconds; drivers that
     *         compile further on a kernel's first launch (PoCL) spend more, which this does not count
     */
    public double kernelBuildSeconds() {
        synchronized (lock) {
            return programs.buildNanos() / 1e9;
        }
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Storage allocate(int size) {
        long bytes = 4L * size;
        cl_mem mem = memory.acquire(bytes, "tensor of " + size + " floats");
        ClBuffer buffer = new ClBuffer(memory, mem, bytes);
        fill(new Slice(buffer, 0), size, 0f); // a pooled buffer holds old values
        return buffer;
    }

    @Override
    public void write(float[] src, int srcOffset, Slice dst, int n) {
        run("write", () -> {
            ByteBuffer b = staging(4L * n);
            b.asFloatBuffer().put(src, srcOffset, n);
            // Blocking, so the staging buffer may be reused at once.
            ClCall.check("clEnqueueWriteBuffer", () -> clEnqueueWriteBuffer(queue, ClBuffer.mem(dst), CL_TRUE,
                    4L * dst.offset(), 4L * n, Pointer.to(b), 0, null, null));
        });
    }

    @Override
    public void read(Slice src, float[] dst, int dstOffset, int n) {
        run("read", () -> {
            ByteBuffer b = staging(4L * n);
            // Blocking: the in-order queue runs every pending kernel first.
            ClCall.check("clEnqueueReadBuffer", () -> clEnqueueReadBuffer(queue, ClBuffer.mem(src), CL_TRUE,
                    4L * src.offset(), 4L * n, Pointer.to(b), 0, null, null));
            b.asFloatBuffer().get(dst, dstOffset, n);
        });
    }

    @Override
    public void synchronize() {
        run("synchronize", () -> ClCall.check("clFinish", () -> clFinish(queue)));
    }

    /** Live and pooled device buffers, one consistent snapshot per call. */
    @Override
    public MemoryAccounting accounting() {
        return memory.stats();
    }

    /** Gives pooled buffers back to the driver. */
    public void trimPool() {
        memory.trim();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                clFinish(queue);
            } catch (CLException e) {
                // closing anyway: an earlier kernel's failure has already been or will never be reported
            }
            programs.close();
            memory.close();
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            staging = null;
        }
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Slice a, Slice b, float beta,
            Slice c) {
        // Row lengths as stored: A is [m, k] ([k, m] transposed), B [k, n] ([n, k] transposed), C [m, n].
        run("gemm", () -> gemm.enqueue(this::launch, transA, transB, m, n, k, alpha, operand(a, transA ? m : k),
                operand(b, transB ? k : n), beta, operand(c, n), null, Activation.IDENTITY, 0f));
    }

    /** One launch for the whole batch: its third dimension numbers the products. */
    @Override
    public void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Slice a,
            Slice b, float beta, Slice c) {
        ClGemm.Batch strides = new ClGemm.Batch(batch, m * k, k * n, m * n);
        run("batchedGemm", () -> gemm.enqueue(this::launch, strides, transA, transB, m, n, k, alpha,
                operand(a, transA ? m : k), operand(b, transB ? k : n), beta, operand(c, n), null, Activation.IDENTITY,
                0f));
    }

    @Override
    public void linear(int m, int n, int k, Slice x, Slice w, Slice bias, Activation act, float actParam, Slice out) {
        run("linear", () -> gemm.enqueue(this::launch, false, true, m, n, k, 1f, operand(x, k), operand(w, k), 0f,
                operand(out, n), bias == null ? null : operand(bias, n), act, actParam));
    }

    private static ClGemm.Operand operand(Slice s, int ld) {
        return new ClGemm.Operand(ClBuffer.mem(s), s.offset(), ld);
    }

    @Override
    public void transpose(int rows, int cols, Slice a, Slice out) {
        run("transpose", () -> launch("rows", "transpose").mem(ClBuffer.mem(a)).i(a.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(rows).i(cols).run2(cols, rows, TILE, TILE));
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, int n, Slice x, Slice out) {
        run(op.label(), () -> launch("elementwise", "unary_op").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).i(op.ordinal()).run1(n));
    }

    @Override
    public void affine(int n, Slice x, float alpha, float beta, Slice out) {
        run("affine", () -> launch("elementwise", "affine").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).f(alpha).f(beta).run1(n));
    }

    @Override
    public void pow(int n, Slice x, float p, Slice out) {
        run("pow", () -> launch("elementwise", "pow_scalar").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).f(p).run1(n));
    }

    @Override
    public void clamp(int n, Slice x, float lo, float hi, Slice out) {
        run("clamp", () -> launch("elementwise", "clamp_op").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).f(lo).f(hi).run1(n));
    }

    @Override
    public void binary(BinaryOp op, Broadcast bc, int rows, int cols, Slice a, Slice b, Slice out) {
        int n = rows * cols;
        run(op.label(), () -> launch("elementwise", "binary_op").mem(ClBuffer.mem(a)).i(a.offset())
                .mem(ClBuffer.mem(b)).i(b.offset()).mem(ClBuffer.mem(out)).i(out.offset())
                .i(n).i(cols).i(bc.ordinal()).i(op.ordinal()).run1(n));
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, int outer, int len, int inner, Slice x, Slice out) {
        if (outer == 1 && inner == 1) {
            reduceAll(op, len, x, out);
            return;
        }
        int outputs = outer * inner;
        float scale = 1f / len;
        run(op.label(), () -> {
            // Short reductions, or enough outputs to fill the device, get one work-item per output.
            if (len <= WG || outputs >= 4096) {
                launch("reduce", "reduce_serial").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(outputs).i(len).i(inner).i(op.ordinal()).f(scale).run1(outputs);
            } else {
                launch("reduce", "reduce_group").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(len).i(inner).i(op.ordinal()).f(scale).groups(outputs);
            }
        });
    }

    /** A whole-tensor reduction of {@code n} values into one: one group, or two passes when long. */
    private void reduceAll(ReduceOp op, int n, Slice x, Slice out) {
        float scale = 1f / n;
        run(op.label(), () -> {
            int groups = (int) Math.min(WG, Launch.roundUp(n, 8L * WG) / (8L * WG));
            if (groups <= 1) {
                launch("reduce", "reduce_group").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(n).i(1).i(op.ordinal()).f(scale).groups(1);
                return;
            }
            // Two passes: `groups` partial results, then one group folds them. The squares and the
            // division by n happen once each, so the second pass sums (or takes the max).
            long bytes = 4L * groups;
            cl_mem partials = memory.acquire(bytes, "reduceAll partials");
            try {
                launch("reduce", "reduce_partial").mem(ClBuffer.mem(x)).i(x.offset()).i(n).mem(partials)
                        .i(op.ordinal()).groups(groups);
                ReduceOp second = op == ReduceOp.MAX ? ReduceOp.MAX : op == ReduceOp.MEAN ? ReduceOp.MEAN : ReduceOp.SUM;
                launch("reduce", "reduce_group").mem(partials).i(0).mem(ClBuffer.mem(out)).i(out.offset())
                        .i(groups).i(1).i(second.ordinal()).f(scale).groups(1);
            } finally {
                memory.release(partials, bytes); // safe at once: later users are queued behind these kernels
            }
        });
    }

    // ------------------------------------------------------------------ rows

    @Override
    public void softmax(int rows, int cols, Slice x, Slice out) {
        softmax("softmax", rows, cols, x, out, false);
    }

    @Override
    public void logSoftmax(int rows, int cols, Slice x, Slice out) {
        softmax("logSoftmax", rows, cols, x, out, true);
    }

    private void softmax(String op, int rows, int cols, Slice x, Slice out, boolean log) {
        run(op, () -> {
            if (cols <= SERIAL_ROW) {
                launch("rows", "softmax_serial").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(rows).i(cols).i(log).run1(rows);
            } else {
                launch("rows", "softmax_group").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(cols).i(log).groups(rows);
            }
        });
    }

    /** {@code kernels/norm.cl}: a work-group per long row, a work-item per short one. */
    @Override
    public void layerNorm(int rows, int cols, Slice x, Slice gamma, Slice beta, float eps, Slice out, Slice mean,
            Slice rstd) {
        // An absent gamma or beta is stood in for by x (its flag says the values are unused).
        Slice g = gamma != null ? gamma : x;
        Slice b = beta != null ? beta : x;
        run("layerNorm", () -> {
            Launch l = launch("norm", cols <= SERIAL_ROW ? "layer_norm_serial" : "layer_norm_group")
                    .mem(ClBuffer.mem(x)).i(x.offset()).i(gamma != null).mem(ClBuffer.mem(g)).i(g.offset())
                    .i(beta != null).mem(ClBuffer.mem(b)).i(b.offset()).f(eps).mem(ClBuffer.mem(out)).i(out.offset())
                    .mem(ClBuffer.mem(mean)).i(mean.offset()).mem(ClBuffer.mem(rstd)).i(rstd.offset());
            if (cols <= SERIAL_ROW) {
                l.i(rows).i(cols).run1(rows);
            } else {
                l.i(cols).groups(rows);
            }
        });
    }

    /** The input gradient by rows as {@link #layerNorm} goes, then gamma's and beta's a work-item per column. */
    @Override
    public void layerNormBackward(int rows, int cols, Slice x, Slice mean, Slice rstd, Slice gamma, Slice dy,
            Slice dx, Slice dgamma, Slice dbeta) {
        Slice g = gamma != null ? gamma : x;
        Slice dg = dgamma != null ? dgamma : dx;
        Slice db = dbeta != null ? dbeta : dx;
        run("layerNorm backward", () -> {
            Launch l = launch("norm", cols <= SERIAL_ROW ? "layer_norm_dx_serial" : "layer_norm_dx_group")
                    .mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(mean)).i(mean.offset())
                    .mem(ClBuffer.mem(rstd)).i(rstd.offset()).i(gamma != null).mem(ClBuffer.mem(g)).i(g.offset())
                    .mem(ClBuffer.mem(dy)).i(dy.offset()).mem(ClBuffer.mem(dx)).i(dx.offset());
            if (cols <= SERIAL_ROW) {
                l.i(rows).i(cols).run1(rows);
            } else {
                l.i(cols).groups(rows);
            }
            if (dgamma != null || dbeta != null) {
                launch("norm", "layer_norm_param_grads").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(mean))
                        .i(mean.offset()).mem(ClBuffer.mem(rstd)).i(rstd.offset()).mem(ClBuffer.mem(dy)).i(dy.offset())
                        .i(dgamma != null).mem(ClBuffer.mem(dg)).i(dg.offset()).i(dbeta != null).mem(ClBuffer.mem(db))
                        .i(db.offset()).i(rows).i(cols).run1(cols);
            }
        });
    }

    @Override
    public void argmax(int rows, int cols, Slice x, Slice out) {
        run("argmax", () -> {
            if (cols <= SERIAL_ROW) {
                launch("rows", "argmax_serial").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(rows).i(cols).run1(rows);
            } else {
                launch("rows", "argmax_group").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(cols).groups(rows);
            }
        });
    }

    /** A label outside [0, classes) gives a row of all {@code off}: the kernel cannot throw. */
    @Override
    public void oneHot(int n, int classes, Slice labels, float on, float off, Slice out) {
        int size = n * classes;
        run("oneHot", () -> launch("rows", "one_hot").mem(ClBuffer.mem(labels)).i(labels.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(size).i(classes).f(on).f(off).run1(size));
    }

    @Override
    public void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        int size = count * rowLength;
        run("gatherRows", () -> {
            long bytes = 4L * count;
            cl_mem idx = memory.acquire(bytes, "gatherRows indices");
            try {
                ByteBuffer b = staging(bytes);
                b.asIntBuffer().put(indices, from, count);
                ClCall.check("clEnqueueWriteBuffer",
                        () -> clEnqueueWriteBuffer(queue, idx, CL_TRUE, 0, bytes, Pointer.to(b), 0, null, null));
                launch("rows", "gather_rows").mem(ClBuffer.mem(src)).i(src.offset()).mem(idx).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(size).i(rowLength).run1(size);
            } finally {
                memory.release(idx, bytes);
            }
        });
    }

    /**
     * One work-item per (target row, column) adds that target's source rows in increasing r, so
     * the sums are the reference's bit for bit and no two work-items write the same value (no
     * atomics). The host groups the rows by target: one upload of the source rows in target order,
     * where each target's run starts, and the targets.
     */
    @Override
    public void copyColumns(Slice src, int srcColumns, int srcFrom, Slice dst, int dstColumns, int dstFrom, int rows,
            int width) {
        int size = rows * width;
        run("copyColumns", () -> launch("rows", "copy_columns").mem(ClBuffer.mem(src)).i(src.offset() + srcFrom)
                .i(srcColumns).mem(ClBuffer.mem(dst)).i(dst.offset() + dstFrom).i(dstColumns).i(size).i(width)
                .run1(size));
    }

    @Override
    public void scatterAddRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
        long[] keys = new long[count];
        int used = 0;
        for (int r = 0; r < count; r++) {
            int idx = indices[from + r];
            if (idx >= 0) {
                keys[used++] = ((long) idx << 32) | r;
            }
        }
        if (used == 0) {
            return;
        }
        java.util.Arrays.sort(keys, 0, used);
        int[] packed = new int[2 * used + 1];          // order, then starts (distinct + 1), then targets
        int distinct = 0;
        int[] starts = new int[used + 1];
        int[] targets = new int[used];
        for (int k = 0; k < used; k++) {
            int idx = (int) (keys[k] >>> 32);
            packed[k] = (int) keys[k];
            if (k == 0 || idx != targets[distinct - 1]) {
                starts[distinct] = k;
                targets[distinct++] = idx;
            }
        }
        starts[distinct] = used;
        int[] all = java.util.Arrays.copyOf(packed, used + 2 * distinct + 1);
        System.arraycopy(starts, 0, all, used, distinct + 1);
        System.arraycopy(targets, 0, all, used + distinct + 1, distinct);
        int groups = distinct;
        int rows = used;
        int size = groups * rowLength;
        run("scatterAddRows", () -> {
            long bytes = 4L * all.length;
            cl_mem idx = memory.acquire(bytes, "scatterAddRows indices");
            try {
                ByteBuffer b = staging(bytes);
                b.asIntBuffer().put(all, 0, all.length);
                ClCall.check("clEnqueueWriteBuffer",
                        () -> clEnqueueWriteBuffer(queue, idx, CL_TRUE, 0, bytes, Pointer.to(b), 0, null, null));
                launch("rows", "scatter_add_rows").mem(ClBuffer.mem(src)).i(src.offset()).mem(idx).i(rows)
                        .i(rows + groups + 1).mem(ClBuffer.mem(out)).i(out.offset()).i(size).i(rowLength).run1(size);
            } finally {
                memory.release(idx, bytes);
            }
        });
    }

    @Override
    public void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out) {
        int size = count * channels * height * width;
        run("shiftImages", () -> {
            long bytes = 4L * 3 * count;
            cl_mem m = memory.acquire(bytes, "shiftImages moves");
            try {
                ByteBuffer b = staging(bytes);
                b.asIntBuffer().put(moves, 0, 3 * count);
                ClCall.check("clEnqueueWriteBuffer",
                        () -> clEnqueueWriteBuffer(queue, m, CL_TRUE, 0, bytes, Pointer.to(b), 0, null, null));
                launch("images", "shift_images").mem(ClBuffer.mem(x)).i(x.offset()).mem(m).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(size).i(channels).i(height).i(width).run1(size);
            } finally {
                memory.release(m, bytes);
            }
        });
    }

    // ------------------------------------------------------------------ images

    /*
     * The four image primitives of images.cl, one work-item per element they write. col2im and the
     * pooling gradient are gathers (each work-item sums what lands on its own element) rather than
     * the reference's scatters, so they need no atomics and give the same bits on every run. The
     * convolutions stay on the Composites defaults: im2col, GEMM and col2im per image and group, with
     * a column temporary released right after the last launch is enqueued, which is safe because
     * every command goes to this one in-order queue (see ClMemory).
     */

    @Override
    public void im2col(Conv2dGeometry g, int group, Slice image, Slice cols) {
        int n = g.patchSize() * g.outH() * g.outW();
        run("im2col", () -> launch("images", "im2col").mem(ClBuffer.mem(image)).i(image.offset())
                .mem(ClBuffer.mem(cols)).i(cols.offset()).i(n).i(group).i(g.groupChannels()).geometry(g).run1(n));
    }

    @Override
    public void col2im(Conv2dGeometry g, int group, Slice cols, Slice image) {
        int n = g.groupChannels() * g.height() * g.width();
        run("col2im", () -> launch("images", "col2im").mem(ClBuffer.mem(cols)).i(cols.offset())
                .mem(ClBuffer.mem(image)).i(image.offset()).i(n).i(group).i(g.groupChannels()).geometry(g).run1(n));
    }

    @Override
    public void pool2d(PoolOp op, Conv2dGeometry g, Slice x, Slice out) {
        int n = g.batch() * g.channels() * g.outH() * g.outW();
        run(op.label(), () -> launch("images", "pool2d").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).i(op.ordinal()).geometry(g).run1(n));
    }

    /** Max pooling finds each window's winner again from {@code x}; {@code out} is not read. */
    @Override
    public void pool2dBackward(PoolOp op, Conv2dGeometry g, Slice x, Slice out, Slice dOut, Slice dx) {
        int n = g.batch() * g.imageSize();
        run(op.label() + " backward", () -> launch("images", "pool2d_backward").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(dOut)).i(dOut.offset()).mem(ClBuffer.mem(dx)).i(dx.offset()).i(n).i(op.ordinal())
                .geometry(g).run1(n));
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, int n, Slice x, Slice out) {
        run(act.label(), () -> launch("elementwise", "activation").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(n).i(act.ordinal()).f(param).run1(n));
    }

    @Override
    public void activationBackward(Activation act, float param, int n, Slice x, Slice y, Slice dy, Slice dx) {
        // The kernel reads both; an absent one is stood in for by the other (its values unused).
        Slice xs = x != null ? x : y;
        Slice ys = y != null ? y : x;
        if (xs == null) {
            xs = dy;
            ys = dy;
        }
        Slice xa = xs, ya = ys;
        run(act.backwardLabel(), () -> launch("elementwise", "activation_backward").mem(ClBuffer.mem(xa))
                .i(xa.offset()).mem(ClBuffer.mem(ya)).i(ya.offset()).mem(ClBuffer.mem(dy)).i(dy.offset())
                .mem(ClBuffer.mem(dx)).i(dx.offset()).i(n).i(act.ordinal()).f(param).run1(n));
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(int n, Slice param, Slice grad, Slice velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Slice v = velocity != null ? velocity : param; // unread when momentum is 0
        run("sgd", () -> launch("optim", "sgd_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(v)).i(v.offset()).i(n)
                .f(lr).f(momentum).f(weightDecay).i(nesterov).run1(n));
    }

    @Override
    public void adamUpdate(int n, Slice param, Slice grad, Slice m, Slice v, float lr, float beta1, float beta2,
            float eps, float weightDecay, boolean decoupled, float biasCorrection1, float biasCorrection2) {
        run("adam", () -> launch("optim", "adam_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(m)).i(m.offset())
                .mem(ClBuffer.mem(v)).i(v.offset()).i(n).f(lr).f(beta1).f(beta2).f(eps).f(weightDecay)
                .i(decoupled).f(biasCorrection1).f(biasCorrection2).run1(n));
    }

    @Override
    public void rmspropUpdate(int n, Slice param, Slice grad, Slice sq, float lr, float alpha, float eps,
            float weightDecay) {
        run("rmsprop", () -> launch("optim", "rmsprop_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(sq)).i(sq.offset()).i(n)
                .f(lr).f(alpha).f(eps).f(weightDecay).run1(n));
    }

    @Override
    public void adagradUpdate(int n, Slice param, Slice grad, Slice sum, float lr, float eps, float weightDecay) {
        run("adagrad", () -> launch("optim", "adagrad_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(sum)).i(sum.offset()).i(n)
                .f(lr).f(eps).f(weightDecay).run1(n));
    }

    // ------------------------------------------------------------------ fill, copy, random

    @Override
    public void fill(Slice t, int n, float value) {
        run("fill", () -> launch("elementwise", "fill").mem(ClBuffer.mem(t)).i(t.offset()).i(n).f(value).run1(n));
    }

    @Override
    public void copy(Slice src, Slice dst, int n) {
        cl_mem s = ClBuffer.mem(src), d = ClBuffer.mem(dst);
        boolean sameBuffer = src.storage() == dst.storage();
        run("copy", () -> {
            if (sameBuffer && Math.abs(src.offset() - dst.offset()) < n) {
                // Overlapping ranges of one buffer: clEnqueueCopyBuffer refuses them, so go through a temporary.
                long bytes = 4L * n;
                cl_mem tmp = memory.acquire(bytes, "copy temporary");
                try {
                    ClCall.check("clEnqueueCopyBuffer",
                            () -> clEnqueueCopyBuffer(queue, s, tmp, 4L * src.offset(), 0, bytes, 0, null, null));
                    ClCall.check("clEnqueueCopyBuffer",
                            () -> clEnqueueCopyBuffer(queue, tmp, d, 0, 4L * dst.offset(), bytes, 0, null, null));
                } finally {
                    memory.release(tmp, bytes);
                }
            } else {
                ClCall.check("clEnqueueCopyBuffer", () -> clEnqueueCopyBuffer(queue, s, d, 4L * src.offset(),
                        4L * dst.offset(), 4L * n, 0, null, null));
            }
        });
    }

    @Override
    public void randomUniform(long seed, float lo, float hi, int n, Slice out) {
        run("randomUniform", () -> launch("random", "random_uniform").mem(ClBuffer.mem(out)).i(out.offset())
                .i(n).l(seed).f(lo).f(hi).run1(n));
    }

    @Override
    public void randomNormal(long seed, float mean, float std, int n, Slice out) {
        run("randomNormal", () -> launch("random", "random_normal").mem(ClBuffer.mem(out)).i(out.offset())
                .i(n).l(seed).f(mean).f(std).run1(n));
    }

    @Override
    public void bernoulliMask(long seed, float keep, float scale, int n, Slice out) {
        run("bernoulliMask", () -> launch("random", "bernoulli_mask").mem(ClBuffer.mem(out)).i(out.offset())
                .i(n).l(seed).f(keep).f(scale).run1(n));
    }

    // ------------------------------------------------------------------ plumbing

    /**
     * Runs {@code body} under the queue lock, turning OpenCL errors into {@link ClException} naming
     * {@code op}, the call and the code. The lock is a monitor, so it is released however
     * {@code body} ends; bodies return their temporary buffers in {@code finally} blocks.
     */
    private void run(String op, Runnable body) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("opencl " + op + ": backend is closed");
            }
            try {
                body.run();
            } catch (ClCall.Failed e) {
                throw e.in(op);
            } catch (CLException e) {
                // A safety net: every call made here goes through ClCall, so this names no call.
                throw new ClException(op, "an OpenCL call", e.getStatus(), e);
            }
        }
    }

    private Launch launch(String program, String kernel) {
        return new Launch(queue, programs.kernel(program, kernel), kernel, WG, fault);
    }

    /**
     * Test seam, package-private and never used in production: from now on every launch of
     * {@code kernel} is made invalid as {@code kind} says, so the driver itself refuses it;
     * {@code null} kind clears it. Lets tests provoke real OpenCL errors inside real operations.
     */
    void injectFault(String kernel, Launch.Fault.Kind kind) {
        fault = kind == null ? null : new Launch.Fault(kernel, kind, device.maxWorkGroupSize());
    }

    /** A native-order direct buffer of at least {@code bytes}, reused while small. Under the lock. */
    private ByteBuffer staging(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("opencl: a transfer of " + bytes + " bytes exceeds 2 GiB");
        }
        if (staging != null && staging.capacity() >= bytes) {
            return staging.clear();
        }
        ByteBuffer b = ByteBuffer.allocateDirect((int) Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
        if (bytes <= KEEP_STAGING) {
            staging = b;
        }
        return b;
    }
}
