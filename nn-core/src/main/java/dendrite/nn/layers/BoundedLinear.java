package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.Map;
import java.util.Optional;

/**
 * {@code y = min(max(x, lo), hi)}: the identity between two bounds, flat outside them ({@link Hardtanh},
 * {@link ReLU6}). Any input shape, no parameters.
 *
 * <p>Backpropagation: {@code dx = dy} strictly between the bounds and {@code 0} at and beyond them, as
 * PyTorch's {@code hardtanh_backward}. It runs on the backend's element-wise operations: {@code x - lo}
 * and {@code hi - x} (exact in sign: with gradual underflow a difference of floats is 0 only when they are
 * equal) each gate dy through ReLU's derivative, {@code dy * (v > 0 ? 1 : 0)}. As everywhere in Dendrite
 * the gate multiplies, so a NaN or infinite dy stays visible, and a NaN input gets no gradient (PyTorch
 * passes dy there).
 */
abstract class BoundedLinear implements Layer {
    private final float lo;
    private final float hi;
    private Backend be;
    private BatchBuffer out;
    private BatchBuffer margin;
    private BatchBuffer dx;
    private Tensor lastInput;

    BoundedLinear(String type, double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi) || !(lo < hi)) {
            throw new IllegalArgumentException(type + ": min_val must be below max_val, got " + lo + " and " + hi);
        }
        this.lo = (float) lo;
        this.hi = (float) hi;
        if (!(this.lo < this.hi)) {
            throw new IllegalArgumentException(type + ": min_val and max_val must differ as floats, got " + lo
                    + " and " + hi);
        }
    }

    /**
     * The lower bound.
     *
     * @return the smallest output, as a float
     */
    public final float minValue() {
        return lo;
    }

    /**
     * The upper bound.
     *
     * @return the largest output, as a float
     */
    public final float maxValue() {
        return hi;
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
        margin = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = out.get(x.dim(0));
        be.clamp(x, lo, hi, y);
        lastInput = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int batch = dOut.dim(0);
        Tensor m = margin.get(batch);
        Tensor dX = dx.get(batch);
        be.affine(lastInput, 1f, -lo, m);                                         // x - lo > 0: above lo
        be.activationBackward(Activation.RELU, 0f, m, m, dOut, dX);           // m as input and output: relu(m) > 0 iff m > 0
        be.affine(lastInput, -1f, hi, m);                                         // hi - x > 0: below hi
        be.activationBackward(Activation.RELU, 0f, m, m, dX, dX);
        return dX;
    }
}
