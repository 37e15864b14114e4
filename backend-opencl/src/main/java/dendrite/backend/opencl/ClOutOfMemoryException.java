package dendrite.backend.opencl;

/** The device could not allocate a buffer even after the pool was emptied. */
public final class ClOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClOutOfMemoryException(String message) {
        super(message);
    }
}
