package dendrite.nn.io;

import java.util.Arrays;

/**
 * A tensor on the host as it is stored in a file: its name, its element type in the file, its
 * dimensions and its values converted to {@code float}, row-major.
 *
 * <p>Dimensions may be 0 here (safetensors allows empty tensors), unlike a {@link dendrite.tensor.Shape}.
 * {@link #values()} returns this object's own array, not a copy, since model weights can be large.
 */
public final class NamedTensor {
    /** The most values an array holds, and so a tensor here. */
    static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final float[] values;

    /**
     * Creates a tensor of {@code values} with the given name, file element type and dimensions.
     *
     * @param name the tensor's name in the file, e.g. {@code 0.weight}
     * @param dtype the element type it has (or will have) in the file
     * @param shape the dimensions, each {@code >= 0} (0 for an empty tensor); copied
     * @param values the values, row-major, exactly the product of {@code shape} of them; kept, not copied
     * @throws IllegalArgumentException when a dimension is negative, the shape holds more values than an array
     *         can, or the values do not fill the shape
     */
    public NamedTensor(String name, DType dtype, int[] shape, float[] values) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in shape "
                        + Arrays.toString(shape));
            }
        }
        long n = valueCount(shape);
        if (n < 0) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape)
                    + " holds more values than an array can (at most " + MAX_VALUES + ")");
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + values.length + " values do not fill shape "
                    + Arrays.toString(shape) + " (" + n + " values)");
        }
        this.values = values;
    }

    /**
     * The number of values of a shape of dimensions at least 0, or -1 when that is more than an array
     * holds. Checked at each factor: a product past a long wraps, 2^64 + 4 to 4, and would pass for
     * a tensor of four values.
     */
    static long valueCount(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;   // empty, however large the other dimensions
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_VALUES) {
                return -1;
            }
        }
        return n;
    }

    /**
     * An F32 tensor.
     *
     * @param name the tensor's name in the file, e.g. {@code 0.weight}
     * @param shape the dimensions, each {@code >= 0}; copied
     * @param values the values, row-major, exactly the product of {@code shape} of them; kept, not copied
     * @return a new tensor of type {@link DType#F32}
     * @throws IllegalArgumentException when a dimension is negative or the values do not fill the shape
     */
    public static NamedTensor f32(String name, int[] shape, float[] values) {
        return new NamedTensor(name, DType.F32, shape, values);
    }

    /**
     * The tensor's name in the file.
     *
     * @return the name, e.g. {@code 0.weight}
     */
    public String name() {
        return name;
    }

    /**
     * The element type in the file (values are always floats here).
     *
     * @return the file's dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array of the dimensions, outermost first; empty for a scalar
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The values, row-major: this object's own array.
     *
     * @return the values as floats, shared, not copied: changing them changes this tensor
     */
    public float[] values() {
        return values;
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions (1 for a scalar, 0 for an empty tensor)
     */
    public int size() {
        return values.length;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
