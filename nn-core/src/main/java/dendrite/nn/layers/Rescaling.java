package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code y = scale * x + offset}, element by element with two fixed numbers: Keras's {@code Rescaling}
 * layer, and what a model's own arithmetic on its values with constants ({@code x / 255},
 * {@code 2 * x - 1}, {@code x + 0.5}) becomes when an ONNX file is imported. Any input shape, no
 * parameters; the backward pass is {@code dx = scale * dy}.
 *
 * <p>It runs on the backend's {@code affine} operation. With an offset of 0 the output is exactly the
 * float product {@code scale * x}; with a scale of 1 exactly the sum {@code x + offset}.
 */
public final class Rescaling implements Layer {
    private final float scale;
    private final float offset;
    private Backend be;
    private BatchBuffer out;
    private BatchBuffer dx;

    /**
     * Keras's {@code Rescaling(scale, offset)}.
     *
     * @param scale  the factor each value is multiplied by, finite, e.g. {@code 1 / 255.0}
     * @param offset the number added after, finite, e.g. 0 or -1
     * @throws IllegalArgumentException if either is not a finite float
     */
    public Rescaling(double scale, double offset) {
        this.scale = (float) scale;
        this.offset = (float) offset;
        if (!Float.isFinite(this.scale) || !Float.isFinite(this.offset)) {
            throw new IllegalArgumentException("rescaling: scale and offset must be finite floats, got " + scale
                    + " and " + offset);
        }
    }

    /**
     * Builds one from its {@link #config()}.
     *
     * @param c the config: {@code scale} (required) and {@code offset} (default 0)
     * @return a new, unbuilt layer
     * @throws IllegalArgumentException if the scale is missing or a value is not a finite number
     */
    public static Rescaling fromConfig(Map<String, ?> c) {
        if (!c.containsKey("scale")) {
            throw new IllegalArgumentException("rescaling: the config has no 'scale' (its keys: " + c.keySet() + ")");
        }
        return new Rescaling(Configs.doubleValue(c, "rescaling", "scale", 1), Configs.doubleValue(c, "rescaling", "offset", 0));
    }

    /**
     * The factor.
     *
     * @return the scale, as a float
     */
    public float scale() {
        return scale;
    }

    /**
     * The number added.
     *
     * @return the offset, as a float
     */
    public float offset() {
        return offset;
    }

    @Override
    public String type() {
        return "rescaling";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("scale", (double) scale);
        c.put("offset", (double) offset);
        return c;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    /** No parameters or buffers. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        be = backend;
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = out.get(x.dim(0));
        be.affine(x, scale, offset, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dX = dx.get(dOut.dim(0));
        be.affine(dOut, scale, 0f, dX);
        return dX;
    }

    @Override
    public String toString() {
        return "Rescaling(" + scale + ", " + offset + ")";
    }
}
