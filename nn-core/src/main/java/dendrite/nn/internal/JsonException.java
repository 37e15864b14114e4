package dendrite.nn.internal;

/**
 * Text that is not the JSON {@link Json} accepts, or a value it cannot write.
 *
 * <p>The message names the character offset of the problem (counted in UTF-16 chars of the
 * parsed string, 0-based) and what was expected there, e.g.
 * {@code at offset 17: expected ',' or '}' after an object member, found 'x'}.
 */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String problem;

    JsonException(int offset, String problem) {
        super(offset >= 0 ? "at offset " + offset + ": " + problem : problem);
        this.offset = offset;
        this.problem = problem;
    }

    /** What is wrong, without the offset. */
    public String problem() {
        return problem;
    }

    /** The 0-based offset of the problem in the parsed text, or -1 for a problem while writing. */
    public int offset() {
        return offset;
    }
}
