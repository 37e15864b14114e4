package com.example.lessons;

import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Swish with a learnable slope, {@code y = x * sigmoid(beta * x)}, written against the {@link Layer}
 * SPI: a layer of one's own, trained like any other.
 *
 * <p>Its backward pass, by the product and chain rules, with {@code s = sigmoid(beta x)} and
 * {@code s' = s (1 - s)}:
 * <pre>
 *   dy/dx    = s + beta x s'
 *   dy/dbeta = x^2 s'
 *   dL/dx    = dL/dy * dy/dx                 (elementwise)
 *   dL/dbeta = sum over the batch of dL/dy * dy/dbeta   (beta is shared by every value)
 * </pre>
 * Everything is computed with backend operations on tensors, never copied to the host, so the
 * layer runs on any backend. Buffers come from {@link BatchBuffer}: a training step then allocates
 * nothing, and the tensors returned stay valid until the next forward or backward, as the SPI asks.
 */
public final class Swish implements Layer {
    private final float initialBeta;
    private Backend be;
    private Parameter beta;
    private BatchBuffer betaX;
    private BatchBuffer sigmoid;
    private BatchBuffer out;
    private BatchBuffer scratch;
    private BatchBuffer dx;
    private Tensor lastInput;
    private Tensor lastBetaX;
    private Tensor lastSigmoid;

    /** A Swish whose beta starts at {@code initialBeta} (1 gives SiLU, PyTorch's {@code nn.SiLU}). */
    public Swish(double initialBeta) {
        this.initialBeta = (float) initialBeta;
    }

    @Override
    public String type() {
        return "swish";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("beta", (double) initialBeta);
    }

    /** Elementwise: any input shape, unchanged. */
    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        be = backend;
        beta = new Parameter("beta", backend, Shape.of(1));
        beta.value().copyFrom(new float[] {initialBeta});
        betaX = new BatchBuffer(backend, inputShape);
        sigmoid = new BatchBuffer(backend, inputShape);
        out = new BatchBuffer(backend, inputShape);
        scratch = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int m = x.dim(0);
        Tensor z = betaX.get(m);
        Tensor s = sigmoid.get(m);
        Tensor y = out.get(m);
        be.binary(BinaryOp.MUL, x, beta.value(), z);        // z = beta x (beta, one value, is broadcast)
        be.activation(Activation.SIGMOID, 0f, z, s);         // s = sigmoid(z)
        be.binary(BinaryOp.MUL, x, s, y);                    // y = x s
        lastInput = x;                                        // kept for backward, as every layer does
        lastBetaX = z;
        lastSigmoid = s;
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int m = dOut.dim(0);
        Tensor s = lastSigmoid;
        Tensor slope = scratch.get(m);
        Tensor dX = dx.get(m);
        be.affine(s, -1f, 1f, slope);                          // 1 - s
        be.binary(BinaryOp.MUL, s, slope, slope);              // s' = s (1 - s)

        // dL/dbeta first, while s' is at hand: sum of dOut * x * x * s'. dX serves as scratch.
        be.binary(BinaryOp.MUL, lastInput, slope, dX);         // x s'
        be.binary(BinaryOp.MUL, dX, lastInput, dX);            // x^2 s'
        be.binary(BinaryOp.MUL, dX, dOut, dX);                 // dOut x^2 s'
        be.reduceAll(ReduceOp.SUM, dX, beta.grad());           // overwritten, not accumulated, as the SPI says

        // dL/dx = dOut * (s + beta x s').
        be.binary(BinaryOp.MUL, lastBetaX, slope, dX);         // beta x s'
        be.binary(BinaryOp.ADD, dX, s, dX);                    // s + beta x s'
        be.binary(BinaryOp.MUL, dX, dOut, dX);
        return dX;
    }

    @Override
    public List<Parameter> parameters() {
        return beta == null ? List.of() : List.of(beta);
    }

    /** beta, one value (so a model file can be checked against its architecture before loading). */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape inputShape) {
        return Optional.of(Map.of("beta", new int[] {1}));
    }

    /** The current beta, read back to the host. */
    public float beta() {
        return beta.value().item();
    }

    @Override
    public String toString() {
        return "Swish()";
    }
}
