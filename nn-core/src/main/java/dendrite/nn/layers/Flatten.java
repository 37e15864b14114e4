package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Map;
import java.util.Optional;

/**
 * Flattens each sample to a vector: {@code [m, d1, d2, ...]} becomes {@code [m, d1 * d2 * ...]}.
 * Forward and backward are views of the same memory; nothing is copied.
 */
public final class Flatten implements Layer {
    /** A flatten layer; it has no options. */
    public Flatten() {
    }

    private final ViewCache forwardView = new ViewCache();
    private final ViewCache backwardView = new ViewCache();
    private Shape inputShape;
    private int features;

    @Override
    public String type() {
        return "flatten";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(in.size());
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        this.inputShape = inputShape;
        this.features = inputShape.size();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forwardView.rows(x, x.dim(0), features);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backwardView.batch(dOut, dOut.dim(0), inputShape);
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
