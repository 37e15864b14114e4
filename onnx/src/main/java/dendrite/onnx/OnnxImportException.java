package dendrite.onnx;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An ONNX file that cannot be imported: unreadable, not ONNX, damaged, or holding something Dendrite
 * does not support. The message is one line that names the file and says what is wrong, and for
 * unsupported content the node (its name and op_type), e.g.
 * {@code model.onnx: node '/3/Clip' (Clip): Clip is not supported; supported ops: ...}.
 */
public final class OnnxImportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The file, for callers that report it apart from the message; not serialized. */
    private final transient Path file;
    /** The node, as the message names it; null for a problem with the file as a whole. */
    private final String node;

    OnnxImportException(Path file, String node, String problem, Throwable cause) {
        super(file + ": " + (node == null ? "" : node + ": ") + problem, cause);
        this.file = file;
        this.node = node;
    }

    /**
     * The file that was being read.
     *
     * @return the path as it was given to {@link OnnxImport#load}
     */
    public Path file() {
        return file;
    }

    /**
     * The node the problem is in, as the message names it ({@code node 'name' (OpType)}).
     *
     * @return the node, or empty for a problem with the file as a whole
     */
    public Optional<String> node() {
        return Optional.ofNullable(node);
    }
}
