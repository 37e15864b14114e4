package dendrite.nn.layers;

import java.util.ArrayList;
import java.util.List;

import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * A trainable tensor and its gradient, as a layer owns them.
 *
 * <p>{@link #name()} is the layer-local name ({@code weight}, {@code bias}); a
 * {@code Sequential} prefixes it with the layer's position ({@code 0.weight}), as PyTorch's
 * {@code nn.Sequential} state_dict does. {@link Layer#backward} overwrites {@link #grad()}
 * (gradients are set, not accumulated); optimizers read it and update {@link #value()} in place.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    /** Shared with {@link #prefixed} copies, so a graph's name for a parameter freezes the layer's own. */
    private final boolean[] frozen;

    /**
     * A zero-filled parameter of {@code shape} and its zero gradient, both on {@code backend}.
     * Both tensors belong to the parameter, not to any scope open at the time.
     *
     * @param name    the layer-local name, e.g. {@code weight} or {@code bias} (PyTorch's)
     * @param backend the backend that allocates the value and the gradient
     * @param shape   the shape of both, e.g. {@code [out, in]} for a Dense weight
     */
    public Parameter(String name, Backend backend, Shape shape) {
        this.name = name;
        this.value = Scope.unscoped(() -> backend.allocate(shape));
        this.grad = Scope.unscoped(() -> backend.allocate(shape));
        this.frozen = new boolean[1];
    }

    private Parameter(String name, Tensor value, Tensor grad, boolean[] frozen) {
        this.name = name;
        this.value = value;
        this.grad = grad;
        this.frozen = frozen;
    }

    /**
     * This parameter under a longer name, sharing its value and gradient tensors: how a layer made of
     * other layers (a {@code Graph}) names its parts' parameters, as PyTorch names those of nested
     * modules ({@code conv1.weight}).
     *
     * @param prefix the part's name, put before this parameter's name with a dot
     * @return a parameter named {@code prefix + "." + name()} whose {@link #value()} and {@link #grad()}
     *         are this one's tensors
     */
    public Parameter prefixed(String prefix) {
        return new Parameter(prefix + "." + name, value, grad, frozen);
    }

    /**
     * The layer-local name, e.g. {@code weight}.
     *
     * @return the name without the layer's index
     */
    public String name() {
        return name;
    }

    /**
     * The values, updated in place by optimizers and by weight loading.
     *
     * @return the live value tensor (not a copy); always the same tensor
     */
    public Tensor value() {
        return value;
    }

    /**
     * dL/dvalue from the last {@link Layer#backward}.
     *
     * @return the live gradient tensor (not a copy), of the value's shape; zero before the first backward
     */
    public Tensor grad() {
        return grad;
    }

    /**
     * Whether backward computes this parameter's gradient (PyTorch's {@code requires_grad}); false once
     * a model {@code freeze}s it. A layer may skip a frozen parameter's gradient, leaving {@link #grad()}
     * as it was ({@link Dense} and {@link Conv2d} do); the optimizer never sees it either way.
     *
     * @return {@code true} unless frozen
     */
    public boolean requiresGrad() {
        return !frozen[0];
    }

    /**
     * Freezes or unfreezes this parameter's gradient (and that of every {@link #prefixed} name of it);
     * {@code Sequential.freeze} and {@code unfreeze} call it.
     *
     * @param requiresGrad {@code false} to let layers skip its gradient
     */
    public void setRequiresGrad(boolean requiresGrad) {
        frozen[0] = !requiresGrad;
    }

    /**
     * The parameter's shape.
     *
     * @return the value's (and the gradient's) shape
     */
    public Shape shape() {
        return value.shape();
    }

    @Override
    public String toString() {
        return name + value.shape();
    }

    /** A layer's {@code [weight, bias]} in state-dict order: empty before it is built, no bias when it has none. */
    static List<Parameter> weightAndBias(Parameter weight, Parameter bias) {
        List<Parameter> p = new ArrayList<>(2);
        if (weight != null) {
            p.add(weight);
            if (bias != null) {
                p.add(bias);
            }
        }
        return p;
    }
}
