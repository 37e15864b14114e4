package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Map;
import java.util.Optional;

/**
 * Gives each sample a new shape with the same number of values, e.g. {@code [784]} to
 * {@code [28, 28]}; one dimension may be -1 to be inferred. A view: nothing is copied.
 */
public final class Reshape implements Layer {
    private final int[] target;
    private final ViewCache forwardView = new ViewCache();
    private final ViewCache backwardView = new ViewCache();
    private Shape inputShape;
    private Shape outputShape;

    /**
     * Reshapes each sample to {@code target}, checked against the input when the model is built.
     *
     * @param target the per-sample shape, without the batch dimension; one dimension may be -1 to be inferred
     */
    public Reshape(int... target) {
        this.target = target.clone();
    }

    @Override
    public String type() {
        return "reshape";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("shape", Configs.list(target));
    }

    @Override
    public Shape outputShape(Shape in) {
        try {
            return in.reshape(target);
        } catch (IllegalArgumentException e) {
            long known = 1;
            for (int d : target) {
                known *= d == -1 ? 1 : d;
            }
            throw new LayerShapeException("a sample of " + known + " values (to reshape to "
                    + java.util.Arrays.toString(target) + ")", in,
                    "pick a target shape with " + in.size() + " values in all");
        }
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
        this.outputShape = outputShape(inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forwardView.batch(x, x.dim(0), outputShape);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backwardView.batch(dOut, dOut.dim(0), inputShape);
    }

    @Override
    public String toString() {
        return "Reshape(" + java.util.Arrays.toString(target) + ")";
    }
}
