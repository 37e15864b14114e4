package dendrite.nn.diag;

import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.Parameter;
import dendrite.nn.losses.Loss;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks analytic gradients against central finite differences, for a layer, a loss or a whole model.
 *
 * <p>For each checked value {@code w} of a tensor, the numeric derivative is
 * {@code (L(w + eps) - L(w - eps)) / (w+ - w-)}, where {@code w+} and {@code w-} are the perturbed
 * values as actually stored in float32 (so the step is exact), and L is summed in double on the host.
 * The comparison is the relative error {@code |a - n| / max(|a| + |n|, floor)}: relative for normal
 * gradients, absolute (divided by {@code floor}) for gradients near zero, where float32 rounding
 * dominates. On float32, {@code eps} around 1e-2 balances truncation error against rounding.
 *
 * <ul>
 *   <li>A layer is checked through {@code L = sum(forward(x) * R)} with R a fixed random tensor, so
 *       {@code backward(R)} is the analytic gradient.</li>
 *   <li>A loss: {@code L = loss(p, y)}, analytic {@code loss.backward()} with respect to p.</li>
 *   <li>A model: {@code L = loss(model(x), y)}, gradients for the input and every parameter.</li>
 * </ul>
 * Layers whose forward is random in training (dropout) must be checked in evaluation mode.
 *
 * <pre>{@code
 * GradientChecker.Report r = new GradientChecker().checkLayer(new Tanh(), be, Shape.of(5), 4, true);
 * assertTrue(r.passed(1e-2), r.toString());
 * }</pre>
 */
public final class GradientChecker {
    /** A checker with the defaults: eps 1e-2, floor 1e-2, 64 values per tensor, seed 1234. */
    public GradientChecker() {
    }

    private double eps = 1e-2;
    private double floor = 1e-2;
    private int maxPerTensor = 64;
    private long seed = 1234;

    /**
     * The finite-difference step (default 1e-2).
     *
     * @param eps the perturbation added to and subtracted from each checked value, positive; on float32 around
     *            1e-2 balances truncation against rounding
     * @return this checker, for chaining
     */
    public GradientChecker eps(double eps) {
        this.eps = eps;
        return this;
    }

    /**
     * The denominator floor of the relative error (default 1e-2).
     *
     * @param floor the smallest denominator, positive: errors of gradients smaller than this are absolute
     * @return this checker, for chaining
     */
    public GradientChecker floor(double floor) {
        this.floor = floor;
        return this;
    }

    /**
     * Checks at most this many values per tensor, evenly spread (default 64).
     *
     * @param n the number of values to check per tensor, at least 1; the values are taken every
     *          {@code max(1, size / n)} elements, so up to about {@code 2n} may be checked
     * @return this checker, for chaining
     */
    public GradientChecker maxPerTensor(int n) {
        this.maxPerTensor = n;
        return this;
    }

    /**
     * The seed of the random input and of R.
     *
     * @param seed any value (default 1234); it also seeds the checked layer's {@link Layer#build}
     * @return this checker, for chaining
     */
    public GradientChecker seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The largest relative error per checked tensor ({@code input}, parameter names).
     *
     * @param maxRelativeError each checked tensor's name ({@code input}, {@code prediction}, a parameter's name
     *                         or state-dict name) with the largest relative error among its checked values,
     *                         NaN if any was NaN
     */
    public record Report(Map<String, Double> maxRelativeError) {
        /**
         * The largest error over all tensors.
         *
         * @return the largest relative error, infinite if any was NaN, 0 when nothing was checked
         */
        public double worst() {
            double w = 0;
            for (double e : maxRelativeError.values()) {
                w = Math.max(w, Double.isNaN(e) ? Double.POSITIVE_INFINITY : e);
            }
            return w;
        }

        /**
         * Whether every tensor's largest relative error is at most {@code tolerance}.
         *
         * @param tolerance the largest relative error accepted, e.g. 1e-2 on float32
         * @return {@code true} if {@link #worst()} is at most {@code tolerance} (never with a NaN error)
         */
        public boolean passed(double tolerance) {
            return worst() <= tolerance;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("gradient check:");
            maxRelativeError.forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, " %s %.2e", k, v)));
            return sb.toString();
        }
    }

    /** The value of the scalar function being differentiated. */
    private interface Objective {
        double value();
    }

    // ------------------------------------------------------------------ layer

    /**
     * Builds {@code layer} for {@code inputShape} (per sample) and checks it on a random batch of
     * {@code batch} samples drawn from N(0, 1).
     *
     * @param layer      an unbuilt layer (it is built here, with the checker's seed)
     * @param be         the backend to build and run it on
     * @param inputShape the per-sample input shape, without the batch dimension
     * @param batch      the number of samples, at least 1
     * @param training   whether to run the forward pass in training mode; {@code false} for layers random in
     *                   training (dropout)
     * @return the largest relative error for the input and for each parameter
     */
    public Report checkLayer(Layer layer, Backend be, Shape inputShape, int batch, boolean training) {
        float[] x = new float[batch * inputShape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = CounterRandom.normal(seed, i);
        }
        return checkLayer(layer, be, inputShape, x, training);
    }

    /**
     * As {@link #checkLayer(Layer, Backend, Shape, int, boolean)} with the given input values.
     *
     * @param layer      an unbuilt layer (it is built here, with the checker's seed)
     * @param be         the backend to build and run it on
     * @param inputShape the per-sample input shape, without the batch dimension
     * @param xValues    the batch's values, row-major: a whole number of samples of {@code inputShape}
     * @param training   whether to run the forward pass in training mode
     * @return the largest relative error for the input and for each parameter
     */
    public Report checkLayer(Layer layer, Backend be, Shape inputShape, float[] xValues, boolean training) {
        layer.build(be, inputShape, seed);
        layer.setInputGradientNeeded(true);
        int batch = xValues.length / inputShape.size();
        Tensor x = be.tensor(xValues, withBatch(batch, inputShape));
        Shape outShape = Shape.of(withBatch(batch, layer.outputShape(inputShape)));
        float[] r = new float[outShape.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = CounterRandom.normal(seed + 1, i);
        }
        Tensor rT = be.tensor(r, outShape.dims());
        Objective objective = () -> dot(layer.forward(x, training).toArray(), r);

        objective.value();
        Map<String, float[]> analytic = new LinkedHashMap<>();
        Tensor dx = layer.backward(rT);
        analytic.put("input", dx.toArray());
        Map<String, Tensor> values = new LinkedHashMap<>();
        values.put("input", x);
        for (Parameter p : layer.parameters()) {
            analytic.put(p.name(), p.grad().toArray());
            values.put(p.name(), p.value());
        }
        return compare(analytic, values, objective);
    }

    // ------------------------------------------------------------------ loss

    /**
     * Checks {@code loss}'s gradient with respect to the prediction {@code p}, for target {@code y}.
     *
     * @param loss the loss to check
     * @param p    the prediction {@code [m, outputs...]}; perturbed during the check and restored after
     * @param y    the targets, as the loss takes them
     * @return the largest relative error, under the name {@code prediction}
     */
    public Report checkLoss(Loss loss, Tensor p, Tensor y) {
        Objective objective = () -> loss.forward(p, y).item();
        objective.value();
        Map<String, float[]> analytic = new LinkedHashMap<>();
        analytic.put("prediction", loss.backward().toArray());
        return compare(analytic, Map.of("prediction", p), objective);
    }

    // ------------------------------------------------------------------ model

    /**
     * Checks a whole model with a loss, for the input and every parameter (named as in the state dict).
     * Runs in training mode unless the model contains layers that are random in training.
     *
     * @param model    the built model; its input gradient is switched on for the check and off after it
     * @param loss     the loss on the model's output
     * @param x        a batch {@code [m, input...]}; perturbed during the check and restored after
     * @param y        the targets, as the loss takes them
     * @param training whether to run the forward pass in training mode; {@code false} for models with
     *                 dropout
     * @return the largest relative error for {@code input} and for each parameter by state-dict name
     */
    public Report checkModel(Sequential model, Loss loss, Tensor x, Tensor y, boolean training) {
        model.setInputGradientNeeded(true);
        try {
            Objective objective = () -> loss.forward(model.forward(x, training), y).item();
            objective.value();
            Map<String, float[]> analytic = new LinkedHashMap<>();
            Map<String, Tensor> values = new LinkedHashMap<>();
            Tensor dx = model.backward(loss.backward());
            analytic.put("input", dx.toArray());
            values.put("input", x);
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                analytic.put(e.getKey(), e.getValue().grad().toArray());
                values.put(e.getKey(), e.getValue().value());
            }
            return compare(analytic, values, objective);
        } finally {
            model.setInputGradientNeeded(false);
        }
    }

    // ------------------------------------------------------------------ the comparison

    private Report compare(Map<String, float[]> analytic, Map<String, Tensor> values, Objective objective) {
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            Tensor t = e.getValue();
            float[] a = analytic.get(e.getKey());
            float[] w = t.toArray();
            int stride = Math.max(1, w.length / maxPerTensor);
            double worst = 0;
            for (int i = 0; i < w.length; i += stride) {
                float original = w[i];
                float up = (float) (original + eps);
                float down = (float) (original - eps);
                w[i] = up;
                t.copyFrom(w);
                double lUp = objective.value();
                w[i] = down;
                t.copyFrom(w);
                double lDown = objective.value();
                w[i] = original;
                t.copyFrom(w);
                double numeric = (lUp - lDown) / ((double) up - (double) down);
                double err = Math.abs(a[i] - numeric) / Math.max(Math.abs(a[i]) + Math.abs(numeric), floor);
                worst = Double.isNaN(err) ? Double.NaN : Math.max(worst, err);
            }
            errors.put(e.getKey(), worst);
        }
        return new Report(errors);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static int[] withBatch(int m, Shape s) {
        int[] d = new int[s.rank() + 1];
        d[0] = m;
        System.arraycopy(s.dims(), 0, d, 1, s.rank());
        return d;
    }
}
