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
        return forwardView.of(x, x.dim(0), features);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backwardView.of(dOut, batchShape(dOut.dim(0)));
    }

    private int[] batchShape(int m) {
        int[] d = new int[inputShape.rank() + 1];
        d[0] = m;
        System.arraycopy(inputShape.dims(), 0, d, 1, inputShape.rank());
        return d;
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
