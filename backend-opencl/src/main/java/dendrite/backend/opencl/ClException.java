package dendrite.backend.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/**
 * An OpenCL call failed during an operation: names the operation and the CL error code
 * (e.g. {@code opencl gemm: CL_INVALID_WORK_GROUP_SIZE (-54)}).
 */
public final class ClException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ClException(String op, CLException cause) {
        super("opencl " + op + ": " + codeName(cause.getStatus()) + " (" + cause.getStatus() + ")", cause);
        this.status = cause.getStatus();
    }

    /** The OpenCL status code, e.g. -4 for {@code CL_MEM_OBJECT_ALLOCATION_FAILURE}. */
    public int status() {
        return status;
    }

    static String codeName(int status) {
        try {
            return CL.stringFor_errorCode(status);
        } catch (RuntimeException e) {
            return "CL error";
        }
    }
}
