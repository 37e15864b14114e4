package dendrite.backend.opencl;

import static org.jocl.CL.CL_SUCCESS;

import java.util.function.IntSupplier;

import org.jocl.CLException;

/**
 * Runs one OpenCL call and checks it both ways JOCL reports a failure: a {@link CLException}
 * when its exceptions are enabled ({@link ClDevices} enables them), a non-zero status when they
 * are not (the switch is global to the JVM, so other code may turn it off). Either way the failure
 * becomes a {@link Failed} naming the call, which {@link ClKernels} turns into a
 * {@link ClException} naming the operation as well.
 */
final class ClCall {
    private ClCall() {
    }

    /** A failed OpenCL call, before the operation it belongs to is known. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String call;
        final int status;

        Failed(String call, int status, CLException cause) {
            super(call + " returned " + ClException.codeName(status) + " (" + status + ")", cause);
            this.call = call;
            this.status = status;
        }

        /** This failure as part of {@code op}. */
        ClException in(String op) {
            return new ClException(op, call, status, getCause());
        }
    }

    /** Runs {@code fn}, which returns an OpenCL status, and throws {@link Failed} unless it succeeded. */
    static void check(String call, IntSupplier fn) {
        int status;
        try {
            status = fn.getAsInt();
        } catch (CLException e) {
            throw new Failed(call, e.getStatus(), e);
        }
        if (status != CL_SUCCESS) {
            throw new Failed(call, status, null);
        }
    }
}
