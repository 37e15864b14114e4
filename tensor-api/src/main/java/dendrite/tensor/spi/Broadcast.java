package dendrite.tensor.spi;

/**
 * How the second operand of a binary kernel lines up with the first, seen as a matrix of
 * {@code rows x cols} (the first operand's leading dimensions by its last). The front decides
 * which one applies, or refuses the shapes; the kernel only follows it.
 */
public enum Broadcast {
    /** b has a's shape: {@code b[i]}. */
    SAME,
    /** b is one row of {@code cols} values: {@code b[i % cols]}. */
    ROW,
    /** b is one column of {@code rows} values: {@code b[i / cols]}. */
    COLUMN,
    /** b is a single value: {@code b[0]}. */
    SCALAR
}
