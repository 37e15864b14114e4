package dendrite.nn.layers;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An elementwise activation {@code y = f(x)} with backward {@code dx = dy * f'(x)}, computed by
 * {@link Backend#activationBackward} from the saved input and output so nothing is recomputed.
 * Takes any input shape and has no parameters. Subclasses only pick the function.
 */
public abstract class ActivationLayer implements Layer {
    private final Activation activation;
    private final float param;
    private Backend be;
    private BatchBuffer out;
    private BatchBuffer dx;
    private Tensor lastInput;
    private Tensor lastOutput;

    /**
     * Creates a layer applying {@code activation}.
     *
     * @param activation the elementwise function, as {@link Backend#activation} and
     *                   {@link Backend#activationBackward} compute it
     * @param param      the function's parameter, e.g. a leaky ReLU's negative slope; ignored by functions
     *                   without one
     */
    protected ActivationLayer(Activation activation, float param) {
        this.activation = activation;
        this.param = param;
    }

    /**
     * The activation this layer applies.
     *
     * @return the elementwise function given at construction
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The activation's parameter.
     *
     * @return the parameter given at construction (a leaky ReLU's negative slope, an ELU's alpha), ignored
     *         by functions without one
     */
    public float param() {
        return param;
    }

    /** Whether this is one of nn-core's own activation layers, whose forward pass is exactly {@link Backend#activation}. */
    boolean isOwnActivation() {
        return getClass().getPackage() == ActivationLayer.class.getPackage();
    }

    @Override
    public String type() {
        return activation.label();
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        this.be = backend;
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        lastInput = x;
        lastOutput = out.get(x.dim(0));
        be.activation(activation, param, x, lastOutput);
        return lastOutput;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor dX = dx.get(dOut.dim(0));
        be.activationBackward(activation, param, lastInput, lastOutput, dOut, dX);
        return dX;
    }

    @Override
    public String toString() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? activation.label().toUpperCase(Locale.ROOT) : n + "()";
    }
}
