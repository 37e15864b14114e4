package dendrite.backend.opencl;

import static org.jocl.CL.*;

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
        return arg(Sizeof.cl_mem, Pointer.to(m));
    }

    Launch i(int v) {
        return arg(Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    Launch i(boolean v) {
        return i(v ? 1 : 0);
    }

    Launch f(float v) {
        return arg(Sizeof.cl_float, Pointer.to(new float[] {v}));
    }

    Launch l(long v) {
        return arg(Sizeof.cl_ulong, Pointer.to(new long[] {v}));
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
        run(new long[] {roundUp(n, workGroup)}, new long[] {workGroup});
    }

    /** {@code groups} work-groups of the fixed size. */
    void groups(long groups) {
        run(new long[] {groups * workGroup}, new long[] {workGroup});
    }

    /** A 2-D launch covering {@code gx x gy} with {@code lx x ly} groups (the global size is rounded up). */
    void run2(long gx, long gy, int lx, int ly) {
        run(new long[] {roundUp(gx, lx), roundUp(gy, ly)}, new long[] {lx, ly});
    }

    /**
     * A 3-D launch: {@code gz} layers of the 2-D launch {@link #run2} makes, one work-group deep (a
     * batch of products, the layer's index {@code get_group_id(2)}).
     */
    void run3(long gx, long gy, long gz, int lx, int ly) {
        run(new long[] {roundUp(gx, lx), roundUp(gy, ly), gz}, new long[] {lx, ly, 1});
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
