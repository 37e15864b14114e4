package dendrite.backend.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets a kernel's arguments in order and enqueues it:
 * {@code launch.mem(x).i(offset).f(alpha).run1(n)}. Used under the backend's queue lock, since
 * a {@code cl_kernel}'s arguments are shared state.
 */
final class Launch {
    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private final int workGroup;
    private int index;

    Launch(cl_command_queue queue, cl_kernel kernel, int workGroup) {
        this.queue = queue;
        this.kernel = kernel;
        this.workGroup = workGroup;
    }

    Launch mem(cl_mem m) {
        clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    Launch i(int v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {v}));
        return this;
    }

    Launch i(boolean v) {
        return i(v ? 1 : 0);
    }

    Launch f(float v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {v}));
        return this;
    }

    Launch l(long v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_ulong, Pointer.to(new long[] {v}));
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

    private void run(long[] global, long[] local) {
        clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
    }

    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
