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

import dendrite.tensor.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.BinaryOp;
import dendrite.tensor.MemoryStats;
import dendrite.tensor.ReduceOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.UnaryOp;
import dendrite.tensor.spi.Broadcast;
import dendrite.tensor.spi.Check;

/**
 * The OpenCL backend: every tensor is a device buffer ({@link ClBuffer}), every primitive a
 * kernel enqueued on one in-order command queue. Nothing is copied to the host except by
 * {@link #read} (and {@link #write}, {@link #gatherRows} upload their inputs); the queue is
 * drained only by reads and {@link #synchronize()}, so consecutive ops pipeline on the device.
 *
 * <pre>{@code
 * try (Backend be = Backends.get("opencl"); Scope scope = Scope.open()) {
 *     Tensor a = be.tensor(new float[] {1, 2, 3, 4}, 2, 2);
 *     Tensor c = be.zeros(2, 2);
 *     be.gemm(false, false, 1f, a, a, 0f, c);
 *     float[] values = c.toArray();   // waits for the kernel
 * }
 * }</pre>
 *
 * <p>Thread-safe: enqueues are serialized by one lock (kernel arguments are shared state).
 * OpenCL errors surface as {@link ClException} naming the op, the OpenCL call and the CL error
 * code, whether JOCL's exceptions are enabled or not, and leave the backend usable (see
 * {@link ClException}); an allocation that fails after the pool is emptied surfaces as
 * {@link ClOutOfMemoryException}.
 */
public final class ClBackend implements Backend {
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

    ClBackend(ClDevices.Device device) {
        this.device = device;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        cl_device_id[] ids = {device.id()};
        this.context = clCreateContext(props, 1, ids, null, null, null);
        @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties needs OpenCL 2.0; this runs on 1.2
        cl_command_queue q = clCreateCommandQueue(context, device.id(), 0, null);
        this.queue = q;
        this.memory = new ClMemory(ClMemory.Driver.of(context), device.globalMemBytes(), device.maxAllocBytes());
        ClGemm.Tiles tiles = ClGemm.Tiles.fromProperty();
        this.programs = new ClPrograms(context, device.id(),
                ClPrograms.options(WG, TILE, tiles, device.fp64(), correctlyRoundedDivide(device.id())));
        this.gemm = new ClGemm(tiles);
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

    /** Seconds spent so far in {@code clBuildProgram}, for reports. */
    public double kernelBuildSeconds() {
        synchronized (lock) {
            return programs.buildNanos() / 1e9;
        }
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Tensor allocate(Shape shape) {
        long bytes = 4L * shape.size();
        cl_mem mem = memory.acquire(bytes, "tensor " + shape);
        Tensor t = Tensor.create(this, new ClBuffer(memory, mem, bytes), shape);
        fill(t, 0f); // a pooled buffer holds old values
        return t;
    }

    @Override
    public void write(Tensor dst, float[] src, int srcOffset) {
        Check.owned(this, dst);
        int n = dst.size();
        if (srcOffset < 0 || srcOffset + (long) n > src.length) {
            throw new IllegalArgumentException("write: " + n + " values for tensor " + dst.shape() + " from offset "
                    + srcOffset + " exceed the " + src.length + " given");
        }
        run("write", () -> {
            ByteBuffer b = staging(4L * n);
            b.asFloatBuffer().put(src, srcOffset, n);
            // Blocking, so the staging buffer may be reused at once.
            ClCall.check("clEnqueueWriteBuffer", () -> clEnqueueWriteBuffer(queue, ClBuffer.mem(dst), CL_TRUE,
                    4L * dst.offset(), 4L * n, Pointer.to(b), 0, null, null));
        });
    }

    @Override
    public void read(Tensor src, float[] dst, int dstOffset) {
        Check.owned(this, src);
        int n = src.size();
        if (dstOffset < 0 || dstOffset + (long) n > dst.length) {
            throw new IllegalArgumentException("read: " + n + " values of tensor " + src.shape() + " into offset "
                    + dstOffset + " exceed the array of " + dst.length);
        }
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

    @Override
    public MemoryStats memory() {
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
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Check.GemmDims d = Check.gemm(this, transA, transB, a, b, c);
        run("gemm", () -> gemm.enqueue(this::launch, transA, transB, d.m(), d.n(), d.k(), alpha, operand(a),
                operand(b), beta, operand(c), null, Activation.IDENTITY, 0f));
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor bias, Activation act, float actParam, Tensor out) {
        Check.GemmDims d = Check.linear(this, x, w, bias, out);
        run("linear", () -> gemm.enqueue(this::launch, false, true, d.m(), d.n(), d.k(), 1f, operand(x), operand(w),
                0f, operand(out), bias == null ? null : operand(bias), act, actParam));
    }

    private static ClGemm.Operand operand(Tensor t) {
        return new ClGemm.Operand(ClBuffer.mem(t), t.offset(), t.shape().last());
    }

    @Override
    public void transpose(Tensor a, Tensor out) {
        Check.transpose(this, a, out);
        int rows = a.dim(0), cols = a.dim(1);
        run("transpose", () -> launch("rows", "transpose").mem(ClBuffer.mem(a)).i(a.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(rows).i(cols).run2(cols, rows, TILE, TILE));
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        Check.sameShape(this, op.label(), x, out);
        run(op.label(), () -> launch("elementwise", "unary_op").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(x.size()).i(op.ordinal()).run1(x.size()));
    }

    @Override
    public void affine(Tensor x, float alpha, float beta, Tensor out) {
        Check.sameShape(this, "affine", x, out);
        run("affine", () -> launch("elementwise", "affine").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(x.size()).f(alpha).f(beta).run1(x.size()));
    }

    @Override
    public void powScalar(Tensor x, float p, Tensor out) {
        Check.sameShape(this, "powScalar", x, out);
        run("powScalar", () -> launch("elementwise", "pow_scalar").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(x.size()).f(p).run1(x.size()));
    }

    @Override
    public void clamp(Tensor x, float lo, float hi, Tensor out) {
        Check.sameShape(this, "clamp", x, out);
        run("clamp", () -> launch("elementwise", "clamp_op").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(x.size()).f(lo).f(hi).run1(x.size()));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Broadcast bc = Check.binary(this, op.label(), a, b, out);
        run(op.label(), () -> launch("elementwise", "binary_op").mem(ClBuffer.mem(a)).i(a.offset())
                .mem(ClBuffer.mem(b)).i(b.offset()).mem(ClBuffer.mem(out)).i(out.offset())
                .i(a.size()).i(a.shape().last()).i(bc.ordinal()).i(op.ordinal()).run1(a.size()));
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        Check.ReduceDims d = Check.reduce(this, op.label(), x, axis, out);
        int outputs = d.outer() * d.inner();
        float scale = 1f / d.len();
        run(op.label(), () -> {
            // Short reductions, or enough outputs to fill the device, get one work-item per output.
            if (d.len() <= WG || outputs >= 4096) {
                launch("reduce", "reduce_serial").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(outputs).i(d.len()).i(d.inner()).i(op.ordinal()).f(scale).run1(outputs);
            } else {
                launch("reduce", "reduce_group").mem(ClBuffer.mem(x)).i(x.offset()).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(d.len()).i(d.inner()).i(op.ordinal()).f(scale).groups(outputs);
            }
        });
    }

    @Override
    public void reduceAll(ReduceOp op, Tensor x, Tensor out) {
        Check.reduceAll(this, op.label(), x, out);
        int n = x.size();
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
    public void softmax(Tensor x, Tensor out) {
        softmax("softmax", x, out, false);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        softmax("logSoftmax", x, out, true);
    }

    private void softmax(String op, Tensor x, Tensor out, boolean log) {
        Check.sameShape(this, op, x, out);
        int rows = x.shape().leading(), cols = x.shape().last();
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

    @Override
    public void argmax(Tensor x, Tensor out) {
        Check.argmax(this, x, out);
        int rows = x.shape().leading(), cols = x.shape().last();
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
    public void oneHot(Tensor labels, float on, float off, Tensor out) {
        int classes = Check.oneHot(this, labels, out);
        run("oneHot", () -> launch("rows", "one_hot").mem(ClBuffer.mem(labels)).i(labels.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(out.size()).i(classes).f(on).f(off).run1(out.size()));
    }

    @Override
    public void gatherRows(Tensor src, int[] indices, int from, Tensor out) {
        Check.gatherRows(this, src, indices, from, out);
        int count = out.dim(0);
        int rowLen = out.size() / count;
        run("gatherRows", () -> {
            long bytes = 4L * count;
            cl_mem idx = memory.acquire(bytes, "gatherRows indices");
            try {
                ByteBuffer b = staging(bytes);
                b.asIntBuffer().put(indices, from, count);
                ClCall.check("clEnqueueWriteBuffer",
                        () -> clEnqueueWriteBuffer(queue, idx, CL_TRUE, 0, bytes, Pointer.to(b), 0, null, null));
                launch("rows", "gather_rows").mem(ClBuffer.mem(src)).i(src.offset()).mem(idx).mem(ClBuffer.mem(out))
                        .i(out.offset()).i(out.size()).i(rowLen).run1(out.size());
            } finally {
                memory.release(idx, bytes);
            }
        });
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activation(Activation act, float param, Tensor x, Tensor out) {
        Check.sameShape(this, act.label(), x, out);
        run(act.label(), () -> launch("elementwise", "activation").mem(ClBuffer.mem(x)).i(x.offset())
                .mem(ClBuffer.mem(out)).i(out.offset()).i(x.size()).i(act.ordinal()).f(param).run1(x.size()));
    }

    @Override
    public void activationBackward(Activation act, float param, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = act.backwardLabel();
        Check.allSameShape(this, op, dy, x, y, dx);
        boolean needsX = act == Activation.GELU;
        boolean needsY = act == Activation.RELU || act == Activation.SIGMOID || act == Activation.TANH
                || act == Activation.SOFTPLUS;
        if ((needsX && x == null) || (needsY && y == null) || (act == Activation.LEAKY_RELU && x == null && y == null)) {
            throw new IllegalArgumentException(op + ": needs " + (needsX ? "x" : "y") + ", which is null");
        }
        // The kernel reads both; an absent one is stood in for by the other (its values unused).
        Tensor xs = x != null ? x : y;
        Tensor ys = y != null ? y : x;
        if (xs == null) {
            xs = dy;
            ys = dy;
        }
        Tensor xa = xs, ya = ys;
        run(op, () -> launch("elementwise", "activation_backward").mem(ClBuffer.mem(xa)).i(xa.offset())
                .mem(ClBuffer.mem(ya)).i(ya.offset()).mem(ClBuffer.mem(dy)).i(dy.offset())
                .mem(ClBuffer.mem(dx)).i(dx.offset()).i(dy.size()).i(act.ordinal()).f(param).run1(dy.size()));
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay,
            boolean nesterov) {
        Check.allSameShape(this, "sgdUpdate", param, grad, velocity);
        if (momentum != 0f && velocity == null) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum + " needs a velocity tensor "
                    + param.shape());
        }
        Tensor v = velocity != null ? velocity : param; // unread when momentum is 0
        run("sgdUpdate", () -> launch("optim", "sgd_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(v)).i(v.offset()).i(param.size())
                .f(lr).f(momentum).f(weightDecay).i(nesterov).run1(param.size()));
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
            float weightDecay, boolean decoupled, long t) {
        Check.allSameShape(this, "adamUpdate", param, grad, m, v);
        if (t < 1) {
            throw new IllegalArgumentException("adamUpdate: step " + t + " must be at least 1");
        }
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        run("adamUpdate", () -> launch("optim", "adam_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(m)).i(m.offset())
                .mem(ClBuffer.mem(v)).i(v.offset()).i(param.size()).f(lr).f(beta1).f(beta2).f(eps).f(weightDecay)
                .i(decoupled).f(bc1).f(bc2).run1(param.size()));
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor sq, float lr, float alpha, float eps, float weightDecay) {
        Check.allSameShape(this, "rmspropUpdate", param, grad, sq);
        run("rmspropUpdate", () -> launch("optim", "rmsprop_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(sq)).i(sq.offset()).i(param.size())
                .f(lr).f(alpha).f(eps).f(weightDecay).run1(param.size()));
    }

    @Override
    public void adagradUpdate(Tensor param, Tensor grad, Tensor sum, float lr, float eps, float weightDecay) {
        Check.allSameShape(this, "adagradUpdate", param, grad, sum);
        run("adagradUpdate", () -> launch("optim", "adagrad_update").mem(ClBuffer.mem(param)).i(param.offset())
                .mem(ClBuffer.mem(grad)).i(grad.offset()).mem(ClBuffer.mem(sum)).i(sum.offset()).i(param.size())
                .f(lr).f(eps).f(weightDecay).run1(param.size()));
    }

    // ------------------------------------------------------------------ fill, copy, random

    @Override
    public void fill(Tensor t, float value) {
        Check.owned(this, t);
        run("fill", () -> launch("elementwise", "fill").mem(ClBuffer.mem(t)).i(t.offset()).i(t.size()).f(value)
                .run1(t.size()));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Check.sameSize(this, "copy", src, dst);
        int n = src.size();
        cl_mem s = ClBuffer.mem(src), d = ClBuffer.mem(dst);
        boolean sameBuffer = src.storage() == dst.storage();
        if (sameBuffer && src.offset() == dst.offset()) {
            return;
        }
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
    public void randomUniform(long seed, float lo, float hi, Tensor out) {
        Check.owned(this, out);
        run("randomUniform", () -> launch("random", "random_uniform").mem(ClBuffer.mem(out)).i(out.offset())
                .i(out.size()).l(seed).f(lo).f(hi).run1(out.size()));
    }

    @Override
    public void randomNormal(long seed, float mean, float std, Tensor out) {
        Check.owned(this, out);
        run("randomNormal", () -> launch("random", "random_normal").mem(ClBuffer.mem(out)).i(out.offset())
                .i(out.size()).l(seed).f(mean).f(std).run1(out.size()));
    }

    @Override
    public void bernoulliMask(long seed, float keep, float scale, Tensor out) {
        Check.owned(this, out);
        Check.probability("bernoulliMask", keep);
        run("bernoulliMask", () -> launch("random", "bernoulli_mask").mem(ClBuffer.mem(out)).i(out.offset())
                .i(out.size()).l(seed).f(keep).f(scale).run1(out.size()));
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
