package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One block of each sample's values: with the sample flattened, values {@code [from, from + size)}
 * given the per-sample shape {@code shape}. A graph's named inputs are these (see
 * {@code GraphBuilder.input}): a model with an image input and a metadata input takes each sample as
 * the image's values followed by the metadata's, and each named input node reads its own block.
 *
 * <p>The input must hold exactly {@code of} values per sample, so that a model fed a table with a
 * column too many or too few is refused rather than read at the wrong offsets. Backward writes the
 * gradient into the block and zeros elsewhere; where several blocks are read from the same input, the
 * graph sums their gradients, each zero outside its own block.
 */
public final class Columns implements Layer {
    private final int from;
    private final int of;
    private final int[] shape;
    private final int size;
    private final ViewCache inView = new ViewCache();
    private final ViewCache outView = new ViewCache();
    private final ViewCache dOutView = new ViewCache();
    private final ViewCache dxView = new ViewCache();
    private Backend backend;
    private BatchBuffer out;
    private BatchBuffer dx;

    /**
     * Reads values {@code [from, from + size of shape)} of each sample of {@code of} values.
     *
     * @param from  the first value read, at least 0
     * @param of    the values in each input sample, at least {@code from} plus the block's size
     * @param shape the block's per-sample shape, each dimension at least 1
     * @throws IllegalArgumentException if the block does not lie within {@code of} values or a dimension is below 1
     */
    public Columns(int from, int of, int... shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("columns: the block's shape is empty");
        }
        long n;
        try {
            n = Shape.of(shape).size();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("columns: " + e.getMessage(), e);
        }
        if (from < 0 || of < 1 || from + n > of) {
            throw new IllegalArgumentException("columns: values [" + from + ", " + (from + n) + ") of a block shaped "
                    + Arrays.toString(shape) + " do not lie within a sample of " + of + " values");
        }
        this.from = from;
        this.of = of;
        this.shape = shape.clone();
        this.size = (int) n;
    }

    static Columns fromConfig(Map<String, ?> c) {
        return new Columns(Configs.intValue(c, "columns", "from"), Configs.intValue(c, "columns", "of"),
                Configs.intsValue(c, "columns", "shape"));
    }

    /**
     * The first value read.
     *
     * @return the offset of the block within a flattened sample
     */
    public int from() {
        return from;
    }

    /**
     * The block's per-sample shape.
     *
     * @return a copy of the shape
     */
    public Shape shape() {
        return Shape.of(shape);
    }

    @Override
    public String type() {
        return "columns";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("from", from, "of", of, "shape", Configs.list(shape));
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.size() != of) {
            throw new LayerShapeException("a sample of " + of + " values (blocks laid side by side, this one at ["
                    + from + ", " + (from + size) + "))", in, "give each sample the values of every input, "
                    + of + " in all");
        }
        return Shape.of(shape);
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        this.backend = backend;
        Shape block = outputShape(inputShape);
        this.out = new BatchBuffer(backend, block);
        this.dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int batch = x.dim(0);
        Tensor y = out.get(batch);
        backend.copyColumns(inView.rows(x, batch, of), from, outView.rows(y, batch, size), 0, size);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int batch = dOut.dim(0);
        Tensor g = dx.get(batch);
        Tensor g2 = dxView.rows(g, batch, of);
        if (size < of) {
            backend.fill(g2, 0f);
        }
        backend.copyColumns(dOutView.rows(dOut, batch, size), 0, g2, from, size);
        return g;
    }

    @Override
    public String toString() {
        return "Columns([" + from + ", " + (from + size) + ") of " + of + " as " + Arrays.toString(shape) + ")";
    }
}
