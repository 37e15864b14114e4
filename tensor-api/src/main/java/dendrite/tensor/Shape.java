package dendrite.tensor;

import java.util.Arrays;

/**
 * The immutable dimensions of a tensor, outermost first (row-major).
 *
 * <p>Rank 0 (a scalar, size 1) up to any rank; every dimension is at least 1 and the
 * element count fits in an {@code int}, since heap backends store a tensor in one
 * {@code float[]}. Kernels that work on rows see a tensor as a matrix of
 * {@link #leading()} rows by {@link #last()} columns.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0], 1);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims, int size) {
        this.dims = dims;
        this.size = size;
    }

    /**
     * A shape with the given dimensions; each must be positive and their product fit in an int.
     *
     * @param dims the dimensions, outermost first; none for a scalar; copied, not kept
     * @return the shape ({@link #scalar()} when {@code dims} is empty)
     * @throws IllegalArgumentException if a dimension is not positive or the product exceeds
     *         {@code Integer.MAX_VALUE - 8}
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long n = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": dimensions must be positive");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + ": more than 2^31 elements; a tensor holds at most " + (Integer.MAX_VALUE - 8));
            }
        }
        return new Shape(dims.clone(), (int) n);
    }

    /**
     * The rank-0 shape of a single value.
     *
     * @return the shared scalar shape: rank 0, size 1
     */
    public static Shape scalar() {
        return SCALAR;
    }

    /**
     * Number of dimensions.
     *
     * @return the rank, 0 for a scalar
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Total number of elements (1 for a scalar).
     *
     * @return the product of the dimensions
     */
    public int size() {
        return size;
    }

    /**
     * Dimension {@code i}; a negative index counts from the end ({@code -1} is the last).
     *
     * @param i the index of the dimension, in [-rank, rank)
     * @return that dimension's length, at least 1
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public int dim(int i) {
        int j = i < 0 ? dims.length + i : i;
        if (j < 0 || j >= dims.length) {
            throw new IndexOutOfBoundsException("dimension " + i + " of shape " + this);
        }
        return dims[j];
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array, outermost first, the caller's to change; empty for a scalar
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The last dimension: the length of a row (1 for a scalar).
     *
     * @return the number of columns when seen as a matrix
     */
    public int last() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    /**
     * The number of rows when the tensor is seen as a matrix of {@link #last()} columns.
     *
     * @return {@code size() / last()}: the product of all dimensions but the last (1 for rank 0 or 1)
     */
    public int leading() {
        return size / last();
    }

    /**
     * The number of elements in one step of the first dimension (the size of a "row" for slicing).
     *
     * @return the product of all dimensions but the first (1 for rank 0 or 1)
     */
    public int stride0() {
        return dims.length == 0 ? 1 : size / dims[0];
    }

    /**
     * This shape with the first dimension replaced; used for batch slices.
     *
     * @param first the new first dimension, positive
     * @return a new shape of the same rank
     * @throws IllegalArgumentException if this is a scalar or {@code first} is not positive
     */
    public Shape withFirst(int first) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a scalar has no first dimension");
        }
        int[] d = dims.clone();
        d[0] = first;
        return of(d);
    }

    /**
     * This shape with dimension {@code axis} removed (the shape of a reduction along it).
     *
     * @param axis the dimension to drop, in [-rank, rank)
     * @return a shape of rank one less (the scalar shape when this has rank 1)
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public Shape without(int axis) {
        int a = normalizeAxis(axis);
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != a) {
                d[j++] = dims[i];
            }
        }
        return of(d);
    }

    /**
     * {@code axis} made non-negative, or an exception naming the shape.
     *
     * @param axis an axis, in [-rank, rank); negative counts from the end
     * @return the same axis in [0, rank)
     * @throws IllegalArgumentException if {@code axis} is out of range (always for a scalar)
     */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /**
     * The shape of a reshape to {@code newDims}, where one entry may be -1 to be inferred.
     *
     * @param newDims the new dimensions, each positive except at most one -1; not changed
     * @return a new shape of the same {@link #size()}, with any -1 replaced by the inferred length
     * @throws IllegalArgumentException naming both shapes when the sizes differ, or when a dimension is
     *         0 or negative other than a single -1
     */
    public Shape reshape(int... newDims) {
        int infer = -1;
        long known = 1;
        int[] d = newDims.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: " + this + " to " + Arrays.toString(newDims)
                            + ": only one dimension may be -1");
                }
                infer = i;
            } else if (d[i] <= 0) {
                throw new IllegalArgumentException("reshape: " + this + " to " + Arrays.toString(newDims)
                        + ": dimensions must be positive");
            } else {
                known = Math.min(known * d[i], Integer.MAX_VALUE);   // no long overflow: each factor is an int
            }
        }
        if (known > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("reshape: " + this + " to " + Arrays.toString(newDims)
                    + ": the given dimensions hold more than " + (Integer.MAX_VALUE - 8) + " elements, and " + this
                    + " has " + size);
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: " + this + " to " + Arrays.toString(newDims)
                        + ": " + size + " elements do not divide by " + known);
            }
            d[infer] = (int) (size / known);
            known = size;
        }
        if (known != size) {
            throw new IllegalArgumentException("reshape: " + this + " to " + Arrays.toString(newDims)
                    + ": sizes " + size + " and " + known + " differ");
        }
        return of(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** The dimensions as {@code [32, 784]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
