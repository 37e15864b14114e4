package dendrite.backend.opencl;

import org.jocl.CL;

/**
 * An OpenCL call failed during an operation. The message names the Dendrite operation, the
 * OpenCL call and its error code, e.g.
 * {@code opencl relu: clEnqueueNDRangeKernel(activation) returned CL_INVALID_WORK_GROUP_SIZE (-54)}.
 *
 * <p>The backend stays usable after one: nothing was enqueued by the failed call, temporary
 * buffers are returned and the queue lock is released, so the next operation runs normally. A
 * kernel that fails while running on the device (rather than when enqueued) is reported by the
 * next blocking call, {@code read} or {@code synchronize}, which then names itself as the op.
 */
public final class ClException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The Dendrite operation that failed. */
    private final String op;
    /** The OpenCL call that failed, with the kernel's name where there is one. */
    private final String call;
    /** The OpenCL status code the call returned. */
    private final int status;

    /** {@code cause} may be null: JOCL throws only when its exceptions are enabled. */
    ClException(String op, String call, int status, Throwable cause) {
        super("opencl " + op + ": " + call + " returned " + codeName(status) + " (" + status + ")", cause);
        this.op = op;
        this.call = call;
        this.status = status;
    }

    /**
     * The Dendrite operation that failed, e.g. {@code "relu"} or {@code "read"}.
     *
     * @return the operation's name, as in the message
     */
    public String op() {
        return op;
    }

    /**
     * The OpenCL call that failed, e.g. {@code "clEnqueueNDRangeKernel(activation)"}.
     *
     * @return the call's name, as in the message
     */
    public String call() {
        return call;
    }

    /**
     * The OpenCL status code, e.g. -4 for {@code CL_MEM_OBJECT_ALLOCATION_FAILURE}.
     *
     * @return the negative {@code CL_*} error code the call returned
     */
    public int status() {
        return status;
    }

    /** The symbolic name of an OpenCL status code, e.g. {@code CL_INVALID_MEM_OBJECT} for -38. */
    static String codeName(int status) {
        try {
            return CL.stringFor_errorCode(status);
        } catch (RuntimeException e) {
            return "CL error";
        }
    }
}
