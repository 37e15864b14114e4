package dendrite.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link NegativeLogLikelihood}, {@link KLDivergence}, {@link PoissonNegativeLogLikelihood},
 * {@link SigmoidFocal} and {@link SmoothL1} give the value and dL/dinput of PyTorch 1.13's
 * {@code NLLLoss}, {@code KLDivLoss}, {@code PoissonNLLLoss}, torchvision's {@code sigmoid_focal_loss}
 * (its ten lines, written out here, since torchvision need not be installed) and {@code SmoothL1Loss},
 * computed here in float64, on every backend: within 1e-5 of max(1, |PyTorch's|), on shapes that are
 * not multiples of a vector (7 x 5, 3 x 4 x 5, 37 x 11), with extreme inputs (logits of ±40,
 * log-probabilities near -100, zero probabilities where PyTorch's xlogy makes 0 ln 0 = 0, rates of 0,
 * counts up to 1000) and each option: reductions, class weights, ignore indices (PyTorch's -100 and a
 * real class), log_target, log_input, full, eps, alpha &lt; 0, gamma 0, 1, 1.5 and 2, class-index
 * targets for the focal loss, beta on both sides of 1.
 *
 * <p>The worst difference of each loss, relative to max(1, |PyTorch's|), is printed after the class.
 */
class MoreLossesPyTorchTest {
    private static final double TOLERANCE = 1e-5;
    /** The worst |Dendrite - PyTorch| / max(1, |PyTorch|) seen, by loss and "value" or "gradient". */
    private static final Map<String, Double> WORST = new ConcurrentSkipListMap<>();

    /** Python's focal loss, torchvision.ops.sigmoid_focal_loss's body (torchvision 0.14, for PyTorch 1.13). */
    private static final String FOCAL = """
            def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2, reduction='mean'):
                p = torch.sigmoid(inputs)
                ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction='none')
                p_t = p * targets + (1 - p) * (1 - targets)
                loss = ce_loss * ((1 - p_t) ** gamma)
                if alpha >= 0:
                    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
                    loss = alpha_t * loss
                return loss.mean() if reduction == 'mean' else loss.sum()
            """;

    @AfterAll
    static void printWorst() {
        StringBuilder sb = new StringBuilder("MoreLossesPyTorchTest, worst |Dendrite - PyTorch float64| / max(1, |PyTorch|):");
        WORST.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%n  %-40s %.3g", k, v)));
        System.out.println(sb);
    }

    // ------------------------------------------------------------------ inputs

    private static float[] uniform(long seed, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * CounterRandom.uniform(seed, i);
        }
        return v;
    }

    /** Rows of log-probabilities (a log-softmax in double), some entries near -100, one row of a certain class. */
    private static float[] logProbabilities(long seed, int rows, int classes) {
        float[] z = uniform(seed, rows * classes, -4f, 4f);
        z[0] = 100f;                                           // row 0: the others near -100
        z[classes + 1] = -96f;                                 // row 1: one entry near -100
        float[] out = new float[z.length];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, z[i * classes + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(z[i * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                out[i * classes + j] = (float) (z[i * classes + j] - max - Math.log(sum));
            }
        }
        return out;
    }

    private static float[] labels(int n, int classes) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 3 + i / 2) % classes;                  // every class, unevenly
        }
        return v;
    }

    /** Rows of probabilities with zeros in them (0 ln 0 = 0), one row one-hot. */
    private static float[] probabilities(long seed, int rows, int classes) {
        float[] p = uniform(seed, rows * classes, 0f, 1f);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                if ((i + j) % 4 == 0 || i == 1 && j != 2) {
                    p[i * classes + j] = 0f;
                }
                sum += p[i * classes + j];
            }
            for (int j = 0; j < classes; j++) {
                p[i * classes + j] = (float) (p[i * classes + j] / sum);
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ comparison

    private static String tensor(float[] v, int... shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(dims.length() == 0 ? "" : ", ").append(d);
        }
        return "torch.tensor([" + PyTorch.list(v) + "], dtype=torch.float64).reshape(" + dims + ")";
    }

    private static String longs(float[] v) {
        return "torch.tensor([" + PyTorch.list(v) + "]).long()";
    }

    /**
     * PyTorch's value and gradient of {@code lossExpr} (Python, of x and y) for x of {@code xShape} (float64,
     * requiring its gradient) and y {@code target} (a Python expression), then Dendrite's on {@code backend},
     * compared.
     */
    private static void compare(String backend, String what, Loss loss, float[] x, int[] xShape, Tensor y,
            String target, String lossExpr) throws Exception {
        Map<String, double[]> expected = PyTorch.namedValues(String.format(Locale.ROOT, """
                import warnings
                import torch
                import torch.nn.functional as F
                warnings.simplefilter('ignore')              # KLDivLoss's warning about reduction='mean'
                torch.set_default_dtype(torch.float64)
                %s
                def r(v):
                    return 'NaN' if v != v else 'Infinity' if v == float('inf') else '-Infinity' if v == -float('inf') else repr(v)
                x = %s.requires_grad_(True)
                y = %s
                loss = %s
                loss.backward()
                print('loss', r(loss.item()))
                print('dx', ' '.join(r(v) for v in x.grad.reshape(-1).tolist()))
                """, FOCAL, tensor(x, xShape), target, lossExpr));
        Backend be = y.backend();
        float value = loss.forward(be.tensor(x, xShape), y).item();
        float[] dx = loss.backward().toArray();
        String name = loss.name() + " " + be.name();
        assertClose(expected.get("loss")[0], value, name + " value", what + ", the loss");
        double[] g = expected.get("dx");
        assertEquals(g.length, dx.length, what);
        for (int i = 0; i < dx.length; i++) {
            assertClose(g[i], dx[i], name + " gradient", what + ", dL/dx[" + i + "]");
        }
    }

    private static void assertClose(double expected, float actual, String worstKey, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": PyTorch's is NaN, Dendrite's " + actual);
            return;
        }
        double scale = Math.max(1, Math.abs(expected));
        double error = Math.abs(actual - expected) / scale;
        WORST.merge(worstKey, error, Math::max);
        assertTrue(error <= TOLERANCE, String.format(Locale.ROOT, "%s: PyTorch %.10g, Dendrite %.10g (%.3g of %.3g)",
                what, expected, actual, error, scale));
    }

    // ------------------------------------------------------------------ NLLLoss

    @OnEveryBackend
    void nllAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = logProbabilities(3, 7, 5);
        float[] y = labels(7, 5);
        compare(backend, "nll [7, 5]", Losses.nll(), x, new int[] {7, 5}, be.tensor(y, 7), longs(y),
                "torch.nn.NLLLoss()(x, y)");
        float[] big = logProbabilities(4, 37, 11);
        float[] bigY = labels(37, 11);
        compare(backend, "nll [37, 11]", Losses.nll(), big, new int[] {37, 11}, be.tensor(bigY, 37, 1), longs(bigY),
                "torch.nn.NLLLoss()(x, y)");
    }

    @OnEveryBackend
    void nllWithClassWeightsAndIgnoredRowsAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] w = {0.5f, 2f, 1f, 3.5f, 0.25f};
        float[] x = logProbabilities(5, 7, 5);
        float[] y = labels(7, 5);
        y[2] = -100;                                           // PyTorch's default ignore index
        y[5] = -100;
        String weight = "weight=" + tensor(w, 5);
        compare(backend, "weighted, rows ignored", Losses.nll(w, -100), x, new int[] {7, 5}, be.tensor(y, 7), longs(y),
                "torch.nn.NLLLoss(" + weight + ")(x, y)");
        float[] z = labels(7, 5);                              // a real class ignored: every row of class 1
        compare(backend, "class 1 ignored", Losses.nll(null, 1), x, new int[] {7, 5}, be.tensor(z, 7), longs(z),
                "torch.nn.NLLLoss(ignore_index=1)(x, y)");
        compare(backend, "weighted sum, class 3 ignored", new NegativeLogLikelihood(w, 3, Reduction.SUM), x,
                new int[] {7, 5}, be.tensor(z, 7), longs(z),
                "torch.nn.NLLLoss(" + weight + ", ignore_index=3, reduction='sum')(x, y)");
        compare(backend, "sum", new NegativeLogLikelihood(null, -100, Reduction.SUM), x, new int[] {7, 5},
                be.tensor(y, 7), longs(y), "torch.nn.NLLLoss(reduction='sum')(x, y)");
    }

    /** Classes along the last axis ([m, T, C]), as Dendrite lays sequences out; PyTorch's rows flattened. */
    @OnEveryBackend
    void nllOnASequenceAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] w = {1f, 0.5f, 2f, 1.5f, 3f};
        float[] x = logProbabilities(6, 12, 5);
        float[] y = labels(12, 5);
        y[7] = -100;
        compare(backend, "[3, 4, 5]", Losses.nll(w, -100), x, new int[] {3, 4, 5}, be.tensor(y, 3, 4), longs(y),
                "torch.nn.NLLLoss(weight=" + tensor(w, 5) + ")(x.reshape(-1, 5), y)");
    }

    /** Every row ignored: PyTorch's 0/0 = NaN loss and its zero gradient. */
    @OnEveryBackend
    void nllOfOnlyIgnoredRowsIsNaNWithAZeroGradientAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = logProbabilities(7, 3, 5);
        float[] y = {-100, -100, -100};
        compare(backend, "all ignored", Losses.nll(), x, new int[] {3, 5}, be.tensor(y, 3), longs(y),
                "torch.nn.NLLLoss()(x, y)");
    }

    // ------------------------------------------------------------------ KLDivLoss

    @OnEveryBackend
    void klDivergenceAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = logProbabilities(8, 7, 5);
        float[] p = probabilities(9, 7, 5);
        for (Reduction r : Reduction.values()) {
            compare(backend, "kl_div " + r.label(), new KLDivergence(r, false), x, new int[] {7, 5}, be.tensor(p, 7, 5),
                    tensor(p, 7, 5), "torch.nn.KLDivLoss(reduction='" + r.label() + "')(x, y)");
        }
        // batchmean divides by the first dimension only, of [3, 4, 5]; the target's shape is its own
        float[] x3 = logProbabilities(10, 12, 5);
        float[] p3 = probabilities(11, 12, 5);
        compare(backend, "kl_div [3, 4, 5]", Losses.klDiv(), x3, new int[] {3, 4, 5}, be.tensor(p3, 12, 5),
                tensor(p3, 3, 4, 5), "torch.nn.KLDivLoss(reduction='batchmean')(x, y)");
        float[] big = logProbabilities(12, 37, 11);
        float[] bigP = probabilities(13, 37, 11);
        compare(backend, "kl_div [37, 11]", Losses.klDiv(), big, new int[] {37, 11}, be.tensor(bigP, 37, 11),
                tensor(bigP, 37, 11), "torch.nn.KLDivLoss(reduction='batchmean')(x, y)");
    }

    @OnEveryBackend
    void klDivergenceOfLogTargetsAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = logProbabilities(14, 7, 5);
        float[] t = logProbabilities(15, 7, 5);                // entries near -100: e^t underflows in float
        for (Reduction r : Reduction.values()) {
            compare(backend, "kl_div log_target " + r.label(), new KLDivergence(r, true), x, new int[] {7, 5},
                    be.tensor(t, 7, 5), tensor(t, 7, 5),
                    "torch.nn.KLDivLoss(reduction='" + r.label() + "', log_target=True)(x, y)");
        }
    }

    // ------------------------------------------------------------------ PoissonNLLLoss

    /** Counts from 0 to 1000, 1 and 1.5 and 2 around Stirling's cut at 1. */
    private static float[] counts(int n) {
        float[] c = new float[n];
        float[] special = {0f, 1f, 1.5f, 2f, 1000f, 0.5f, 3f, 17f};
        for (int i = 0; i < n; i++) {
            c[i] = i < special.length ? special[i] : (float) Math.floor(20 * CounterRandom.uniform(16, i));
        }
        return c;
    }

    @OnEveryBackend
    void poissonOfLogRatesAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = uniform(17, 35, -5f, 5f);
        x[4] = 7f;                                             // ln 1000
        x[9] = 40f;                                            // e^40, far from its count
        x[10] = -40f;
        float[] y = counts(35);
        for (boolean full : new boolean[] {false, true}) {
            compare(backend, "poisson log_input full=" + full, new PoissonNegativeLogLikelihood(true, full, 1e-8,
                    Reduction.MEAN), x, new int[] {7, 5}, be.tensor(y, 7, 5), tensor(y, 7, 5),
                    "torch.nn.PoissonNLLLoss(full=" + (full ? "True" : "False") + ")(x, y)");
        }
        compare(backend, "poisson sum full", new PoissonNegativeLogLikelihood(true, true, 1e-8, Reduction.SUM), x,
                new int[] {35}, be.tensor(y, 35), tensor(y, 35),
                "torch.nn.PoissonNLLLoss(full=True, reduction='sum')(x, y)");
        float[] big = uniform(18, 37 * 11, -3f, 3f);
        float[] bigY = counts(37 * 11);
        compare(backend, "poisson [37, 11]", Losses.poissonNll(), big, new int[] {37, 11}, be.tensor(bigY, 37, 11),
                tensor(bigY, 37, 11), "torch.nn.PoissonNLLLoss()(x, y)");
    }

    @OnEveryBackend
    void poissonOfRatesAsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] x = uniform(19, 35, 0f, 20f);
        x[0] = 0f;                                             // a rate of 0 for a count of 0: ln eps
        x[1] = 0f;                                             // and for a count of 1: the gradient is 1 - 1/eps
        x[4] = 990f;
        float[] y = counts(35);
        for (boolean full : new boolean[] {false, true}) {
            compare(backend, "poisson rate full=" + full, new PoissonNegativeLogLikelihood(false, full, 1e-8,
                    Reduction.MEAN), x, new int[] {7, 5}, be.tensor(y, 7, 5), tensor(y, 7, 5),
                    "torch.nn.PoissonNLLLoss(log_input=False, full=" + (full ? "True" : "False") + ")(x, y)");
        }
        compare(backend, "poisson rate eps 0.5 sum", new PoissonNegativeLogLikelihood(false, false, 0.5, Reduction.SUM),
                x, new int[] {7, 5}, be.tensor(y, 7, 5), tensor(y, 7, 5),
                "torch.nn.PoissonNLLLoss(log_input=False, eps=0.5, reduction='sum')(x, y)");
    }

    // ------------------------------------------------------------------ sigmoid focal loss

    /** Logits from -6 to 6 and ±40 both right and wrong; 0/1 targets and two soft ones. */
    private static float[][] focalCase(long seed, int n) {
        float[] z = uniform(seed, n, -6f, 6f);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = CounterRandom.uniform(seed + 1, i) < 0.3f ? 1f : 0f;
        }
        z[0] = 40f;
        y[0] = 1f;                                             // confidently right: q = e^-40
        z[1] = 40f;
        y[1] = 0f;                                             // confidently wrong
        z[2] = -40f;
        y[2] = 0f;
        z[3] = -40f;
        y[3] = 1f;
        y[5] = 0.3f;                                           // soft targets
        y[6] = 0.9f;
        return new float[][] {z, y};
    }

    @OnEveryBackend
    void sigmoidFocalAsTorchvision(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[][] c = focalCase(20, 35);
        double[][] options = {{0.25, 2}, {-1, 2}, {0.25, 0}, {0.6, 1}, {0.25, 1.5}, {0, 3}};
        for (double[] o : options) {
            String args = String.format(Locale.ROOT, "alpha=%s, gamma=%s", o[0], o[1]);
            compare(backend, "focal " + args, Losses.sigmoidFocal(o[0], o[1]), c[0], new int[] {7, 5},
                    be.tensor(c[1], 7, 5), tensor(c[1], 7, 5), "sigmoid_focal_loss(x, y, " + args + ")");
        }
        compare(backend, "focal sum", new SigmoidFocal(0.25, 2, Reduction.SUM), c[0], new int[] {7, 5},
                be.tensor(c[1], 35), tensor(c[1], 7, 5), "sigmoid_focal_loss(x, y, reduction='sum')");
        float[][] big = focalCase(22, 37 * 11);
        compare(backend, "focal [37, 11]", Losses.sigmoidFocal(), big[0], new int[] {37, 11},
                be.tensor(big[1], 37, 11), tensor(big[1], 37, 11), "sigmoid_focal_loss(x, y)");
    }

    /** Class indices for [m, C] logits are one-hot rows, as torch.nn.functional.one_hot makes them. */
    @OnEveryBackend
    void sigmoidFocalOfClassIndicesAsTorchvisionOnOneHotRows(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] z = uniform(24, 35, -5f, 5f);
        float[] y = labels(7, 5);
        compare(backend, "focal class indices", Losses.sigmoidFocal(), z, new int[] {7, 5}, be.tensor(y, 7),
                "F.one_hot(" + longs(y) + ", 5).double()", "sigmoid_focal_loss(x, y)");
    }

    /** gamma 0 and no alpha: PyTorch's BCEWithLogitsLoss. */
    @OnEveryBackend
    void sigmoidFocalWithoutFocusingIsBceWithLogits(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[][] c = focalCase(26, 35);
        compare(backend, "focal as bce", Losses.sigmoidFocal(-1, 0), c[0], new int[] {7, 5}, be.tensor(c[1], 7, 5),
                tensor(c[1], 7, 5), "torch.nn.BCEWithLogitsLoss()(x, y)");
    }

    // ------------------------------------------------------------------ SmoothL1Loss

    @OnEveryBackend
    void smoothL1AsPyTorch(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        float[] p = uniform(28, 35, -3f, 3f);
        float[] y = uniform(29, 35, -3f, 3f);
        p[0] = 1e4f;                                           // far out, on the linear part
        for (double beta : new double[] {0.5, 1.0, 2.0, 1e-3}) {
            compare(backend, "smooth_l1 beta " + beta, Losses.smoothL1(beta), p, new int[] {7, 5}, be.tensor(y, 7, 5),
                    tensor(y, 7, 5), "torch.nn.SmoothL1Loss(beta=" + beta + ")(x, y)");
        }
        float[] big = uniform(30, 37 * 11, -4f, 4f);
        float[] bigY = uniform(31, 37 * 11, -4f, 4f);
        compare(backend, "smooth_l1 [37, 11]", Losses.smoothL1(1.5), big, new int[] {37, 11},
                be.tensor(bigY, 37 * 11), tensor(bigY, 37, 11), "torch.nn.SmoothL1Loss(beta=1.5)(x, y)");
    }
}
