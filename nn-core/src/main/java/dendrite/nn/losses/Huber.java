package dendrite.nn.losses;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.Tensor;

import java.util.Map;

/**
 * Huber loss (PyTorch's {@code HuberLoss}): quadratic for small errors, linear for large ones, so
 * outliers pull less than under MSE. With {@code d = p - y} and {@code c = clamp(d, -delta, delta)}:
 * <pre>
 *   L = mean c (d - c/2)       (= d^2/2 when |d| &lt;= delta, delta (|d| - delta/2) otherwise)
 *   dL/dp = c / N
 * </pre>
 */
public final class Huber implements Loss {
    private final String name;
    private final float delta;
    /** What the mean is multiplied by: 1, or 1 / beta for {@link SmoothL1}, which is this loss scaled. */
    private final float scale;
    private final Workspace ws;
    private Tensor clamped;

    /** Huber loss with PyTorch's default {@code delta}, 1.0. */
    public Huber() {
        this(1.0);
    }

    /**
     * Huber loss with the given threshold.
     *
     * @param delta the error at which the loss turns from quadratic to linear, positive, in the target's units
     * @throws IllegalArgumentException if {@code delta} is not positive
     */
    public Huber(double delta) {
        this("huber", "delta", delta, 1.0);
    }

    /**
     * The loss of {@code name} with threshold {@code delta} (called {@code param} there), scaled by
     * {@code scale}: {@link SmoothL1} is Huber's loss over its threshold.
     */
    Huber(String name, String param, double delta, double scale) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException(name + ": " + param + " must be positive and finite, got " + delta);
        }
        this.name = name;
        this.delta = (float) delta;
        this.scale = (float) scale;
        this.ws = new Workspace(name);
    }

    /**
     * The threshold between the quadratic and the linear part.
     *
     * @return {@code delta}, positive
     */
    public float delta() {
        return delta;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("delta", (double) delta);
    }

    @Override
    public Tensor forward(Tensor p, Tensor y) {
        ws.prepare(p);
        Backend be = ws.backend();
        int m = p.dim(0);
        Tensor d = ws.buffer("diff", m);
        Tensor t = ws.buffer("term", m);
        clamped = ws.buffer("clamped", m);
        be.binary(BinaryOp.SUB, p, ws.targetLike(p, y), d);
        be.clamp(d, -delta, delta, clamped);                 // c
        be.affine(clamped, -0.5f, 0f, t);
        be.binary(BinaryOp.ADD, t, d, t);                    // d - c/2
        be.binary(BinaryOp.MUL, t, clamped, t);              // c (d - c/2)
        be.reduceAll(ReduceOp.SUM, t, ws.value());
        be.affine(ws.value(), scale / p.size(), 0f, ws.value());
        return ws.value();
    }

    @Override
    public Tensor backward() {
        Tensor g = ws.buffer("grad", clamped.dim(0));
        ws.backend().affine(clamped, scale / clamped.size(), 0f, g);
        return g;
    }
}
