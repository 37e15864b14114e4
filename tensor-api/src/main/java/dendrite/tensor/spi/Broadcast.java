package dendrite.tensor.spi;

import dendrite.tensor.Shape;

/**
 * How the second operand of a binary op lines up with the first, seen as a matrix of
 * {@code rows x cols} ({@link Shape#leading()} x {@link Shape#last()}).
 */
public enum Broadcast {
    /** b has a's shape: {@code b[i]}. */
    SAME,
    /** b is one row of {@code cols} values: {@code b[i % cols]}. */
    ROW,
    /** b is one column of {@code rows} values: {@code b[i / cols]}. */
    COLUMN,
    /** b is a single value: {@code b[0]}. */
    SCALAR;

    /** The broadcast that fits b to a, or an exception naming {@code op} and both shapes. */
    public static Broadcast of(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return SAME;
        }
        if (b.size() == 1) {
            return SCALAR;
        }
        int cols = a.last();
        if (a.rank() >= 1 && b.size() == cols && (b.rank() == 1 || (b.rank() == 2 && b.dim(0) == 1))) {
            return ROW;
        }
        if (a.rank() >= 2 && b.last() == 1 && b.size() == a.leading()) {
            return COLUMN;
        }
        if (a.size() == b.size() && a.rank() <= 1 && b.rank() <= 1) {
            return SAME;
        }
        throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " cannot be broadcast (the second must be "
                + a + ", [" + cols + "], [1, " + cols + "], [" + a.leading() + ", 1] or a single value)");
    }
}
