package dendrite.backend.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import dendrite.tensor.op.Conv2dGeometry;

/**
 * Sets a kernel's arguments in order and enqueues it:
 * {@code launch.mem(x).i(offset).f(alpha).run1(n)}. Used under the backend's queue lock, since
 * a {@code cl_kernel}'s arguments are shared state. Every call is checked ({@link ClCall}), so a
 * failure names the call and the kernel, e.g. {@code clSetKernelArg(softmax_serial, 3)}.
 */
final class Launch {
    /**
     * Test seam, never set in production: makes every launch of one kernel invalid in a way the
     * driver itself detects, so that tests can provoke real OpenCL errors inside real operations.
     */
    record Fault(String kernel, Kind kind, long deviceMaxWorkGroup) {
        enum Kind {
            /** Asks for twice the device's largest work-group: {@code CL_INVALID_WORK_GROUP_SIZE}. */
            OVERSIZED_WORK_GROUP,
            /** Sets one argument more than the kernel has: {@code CL_INVALID_ARG_INDEX}. */
            EXTRA_ARGUMENT
        }
    }

    /**
     * This thread's argument bytes and pointers, reused by every launch: {@code clSetKernelArg} copies
     * an argument's value before it returns, so one scalar buffer serves every argument. A new array,
     * buffer and pointer per argument came to about 1 MB a training step of a small CNN.
     */
    private static final class Arguments {
        private static final int MEMS = 64;
        final ByteBuffer scalar = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        final Pointer scalarPointer = Pointer.to(scalar);
        /** The pointers to the buffers used last, most of a step's: a small cache, replaced in turn. */
        private final cl_mem[] mems = new cl_mem[MEMS];
        private final Pointer[] memPointers = new Pointer[MEMS];
        private int next;
        /** Global and local sizes by dimension count (index 1 to 3): the driver reads them during the call. */
        final long[][] global = {null, new long[1], new long[2], new long[3]};
        final long[][] local = {null, new long[1], new long[2], new long[3]};

        Pointer to(cl_mem m) {
            for (int i = 0; i < MEMS; i++) {
                if (mems[i] == m && memPointers[i] != null) {
                    return memPointers[i];
                }
            }
            int at = next;
            next = (next + 1) % MEMS;
            mems[at] = m;
            memPointers[at] = Pointer.to(m);
            return memPointers[at];
        }
    }

    private static final ThreadLocal<Arguments> ARGUMENTS = ThreadLocal.withInitial(Arguments::new);

    /** This thread's, looked up once per launch rather than once per argument. */
    private final Arguments args = ARGUMENTS.get();
    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private final String name;
    private final int workGroup;
    private final Fault fault;
    private int index;

    /** {@code fault} is null except in tests. */
    Launch(cl_command_queue queue, cl_kernel kernel, String name, int workGroup, Fault fault) {
        this.queue = queue;
        this.kernel = kernel;
        this.name = name;
        this.workGroup = workGroup;
        this.fault = fault != null && fault.kernel().equals(name) ? fault : null;
    }

    Launch mem(cl_mem m) {
        return arg(Sizeof.cl_mem, args.to(m));
    }

    Launch i(int v) {
        args.scalar.putInt(0, v);
        return arg(Sizeof.cl_int, args.scalarPointer);
    }

    Launch i(boolean v) {
        return i(v ? 1 : 0);
    }

    Launch f(float v) {
        args.scalar.putFloat(0, v);
        return arg(Sizeof.cl_float, args.scalarPointer);
    }

    Launch l(long v) {
        args.scalar.putLong(0, v);
        return arg(Sizeof.cl_ulong, args.scalarPointer);
    }

    /**
     * The thirteen ints of {@code images.cl}'s {@code GEOMETRY_PARAMS}, in its order: one image's
     * channels, height and width, the window, stride, padding and dilation, and the output size.
     */
    Launch geometry(Conv2dGeometry g) {
        return i(g.channels()).i(g.height()).i(g.width()).i(g.kernelH()).i(g.kernelW()).i(g.strideH())
                .i(g.strideW()).i(g.padH()).i(g.padW()).i(g.dilationH()).i(g.dilationW()).i(g.outH()).i(g.outW());
    }

    // Checked inline rather than through ClCall.check, so that the call's name is built only on failure.
    private Launch arg(long size, Pointer value) {
        int at = index++;
        int status;
        try {
            status = clSetKernelArg(kernel, at, size, value);
        } catch (CLException e) {
            throw new ClCall.Failed("clSetKernelArg(" + name + ", " + at + ")", e.getStatus(), e);
        }
        if (status != CL_SUCCESS) {
            throw new ClCall.Failed("clSetKernelArg(" + name + ", " + at + ")", status, null);
        }
        return this;
    }

    /**
     * One work-item per element for {@code n} elements, in groups of the fixed work-group size:
     * PoCL compiles a kernel once per work-group size, so letting the driver choose would compile
     * again for every new tensor size.
     */
    void run1(long n) {
        groupsOf(roundUp(n, workGroup));
    }

    /** {@code groups} work-groups of the fixed size. */
    void groups(long groups) {
        groupsOf(groups * workGroup);
    }

    private void groupsOf(long items) {
        args.global[1][0] = items;
        args.local[1][0] = workGroup;
        run(args.global[1], args.local[1]);
    }

    /** A 2-D launch covering {@code gx x gy} with {@code lx x ly} groups (the global size is rounded up). */
    void run2(long gx, long gy, int lx, int ly) {
        args.global[2][0] = roundUp(gx, lx);
        args.global[2][1] = roundUp(gy, ly);
        args.local[2][0] = lx;
        args.local[2][1] = ly;
        run(args.global[2], args.local[2]);
    }

    /**
     * A 3-D launch: {@code gz} layers of the 2-D launch {@link #run2} makes, one work-group deep (a
     * batch of products, the layer's index {@code get_group_id(2)}).
     */
    void run3(long gx, long gy, long gz, int lx, int ly) {
        args.global[3][0] = roundUp(gx, lx);
        args.global[3][1] = roundUp(gy, ly);
        args.global[3][2] = gz;
        args.local[3][0] = lx;
        args.local[3][1] = ly;
        args.local[3][2] = 1;
        run(args.global[3], args.local[3]);
    }

    private void run(long[] global, long[] local) {
        if (fault != null) {
            sabotage(global, local);
        }
        int status;
        try {
            status = clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw new ClCall.Failed("clEnqueueNDRangeKernel(" + name + ")", e.getStatus(), e);
        }
        if (status != CL_SUCCESS) {
            throw new ClCall.Failed("clEnqueueNDRangeKernel(" + name + ")", status, null);
        }
    }

    private void sabotage(long[] global, long[] local) {
        switch (fault.kind()) {
            case OVERSIZED_WORK_GROUP -> {
                Arrays.fill(local, 1);
                local[0] = 2 * fault.deviceMaxWorkGroup();
                Arrays.fill(global, 1);
                global[0] = local[0];
            }
            case EXTRA_ARGUMENT -> i(0);
        }
    }

    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
