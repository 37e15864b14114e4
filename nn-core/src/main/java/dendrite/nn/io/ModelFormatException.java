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

    /** The file, as given to the reader. */
    private final String file;
    /** The tensor at fault, or {@code null} when the problem is the whole file's. */
    private final String tensor;
    /** What is wrong, without the file and tensor names. */
    private final String problem;

    ModelFormatException(String file, String tensor, String problem, Throwable cause) {
        super(file + ": " + (tensor != null ? "tensor \"" + tensor + "\": " : "") + problem, cause);
        this.file = file;
        this.tensor = tensor;
        this.problem = problem;
    }

    /**
     * A problem with the file as a whole (its header, its size, its metadata).
     *
     * @param file the file, as the reader was given it (a path or a name)
     * @param problem what is wrong, as a sentence fragment without the file name
     * @return a new exception whose message is {@code file + ": " + problem}
     */
    public static ModelFormatException of(String file, String problem) {
        return new ModelFormatException(file, null, problem, null);
    }

    /**
     * As {@link #of(String, String)}, keeping the low-level cause.
     *
     * @param file the file, as the reader was given it (a path or a name)
     * @param problem what is wrong, as a sentence fragment without the file name
     * @param cause the exception that revealed the problem (a JSON or number parse error), or {@code null}
     * @return a new exception whose message is {@code file + ": " + problem}
     */
    public static ModelFormatException of(String file, String problem, Throwable cause) {
        return new ModelFormatException(file, null, problem, cause);
    }

    /**
     * A problem with one named tensor.
     *
     * @param file the file, as the reader was given it (a path or a name)
     * @param tensor the tensor's name in the file
     * @param problem what is wrong with the tensor, without the file and tensor names
     * @return a new exception whose message is {@code file + ": tensor \"" + tensor + "\": " + problem}
     */
    public static ModelFormatException ofTensor(String file, String tensor, String problem) {
        return new ModelFormatException(file, tensor, problem, null);
    }

    /**
     * The file, as given to the reader.
     *
     * @return the file's path or name, as the reader was given it
     */
    public String file() {
        return file;
    }

    /**
     * The tensor at fault, or {@code null} when the problem is not one tensor's.
     *
     * @return the tensor's name in the file, or {@code null}
     */
    public String tensor() {
        return tensor;
    }

    /**
     * What is wrong, without the file and tensor names.
     *
     * @return the problem, the message's last part
     */
    public String problem() {
        return problem;
    }
}
