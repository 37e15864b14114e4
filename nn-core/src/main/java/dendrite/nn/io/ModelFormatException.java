package dendrite.nn.io;

import java.io.IOException;

/**
 * A model, checkpoint or safetensors file that cannot be used: the one exception every reader
 * in this package throws for bad content.
 *
 * <p>The message starts with the file and says what is wrong, naming the tensor where one is
 * at fault, e.g. {@code model.safetensors: tensor "0.weight": shape [3, 2] does not fit the
 * architecture, which needs [4, 2]}. Readers check a whole file before they return anything,
 * so this exception never leaves a half-loaded model behind.
 *
 * <p>Plain I/O failures (a missing file, a permission error) stay ordinary {@link IOException}s:
 * this type means "the bytes are there, but they are wrong" (truncated, corrupt, or not the
 * model the caller expects).
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String tensor;
    private final String problem;

    ModelFormatException(String file, String tensor, String problem, Throwable cause) {
        super(file + ": " + (tensor != null ? "tensor \"" + tensor + "\": " : "") + problem, cause);
        this.file = file;
        this.tensor = tensor;
        this.problem = problem;
    }

    /** A problem with the file as a whole (its header, its size, its metadata). */
    public static ModelFormatException of(String file, String problem) {
        return new ModelFormatException(file, null, problem, null);
    }

    /** As {@link #of(String, String)}, keeping the low-level cause. */
    public static ModelFormatException of(String file, String problem, Throwable cause) {
        return new ModelFormatException(file, null, problem, cause);
    }

    /** A problem with one named tensor. */
    public static ModelFormatException ofTensor(String file, String tensor, String problem) {
        return new ModelFormatException(file, tensor, problem, null);
    }

    /** The file, as given to the reader. */
    public String file() {
        return file;
    }

    /** The tensor at fault, or {@code null} when the problem is not one tensor's. */
    public String tensor() {
        return tensor;
    }

    /** What is wrong, without the file and tensor names. */
    public String problem() {
        return problem;
    }
}
