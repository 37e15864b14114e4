package dendrite.nn.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.TestBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The losses added for PyTorch's users (nll, kl_div, poisson_nll, sigmoid_focal, smooth_l1) by name and
 * config, each round trip giving the same loss; their defaults; the options they refuse, in one message;
 * and values worked out by hand. {@code MoreLossesPyTorchTest} compares them with PyTorch.
 */
class MoreLossesTest {
    private static final Backend BE = TestBackend.get();

    /** Value and gradient of {@code loss} on prediction {@code p} and target {@code y}, as one array. */
    private static float[] run(Loss loss, Tensor p, Tensor y) {
        float value = loss.forward(p, y).item();
        float[] g = loss.backward().toArray();
        float[] out = new float[g.length + 1];
        out[0] = value;
        System.arraycopy(g, 0, out, 1, g.length);
        return out;
    }

    /** {@code byName(name(), config())} is a loss of the same class, config and bits of value and gradient. */
    private static void assertRoundTrip(Loss loss, Tensor p, Tensor y) {
        Loss copy = Losses.byName(loss.name(), loss.config());
        assertEquals(loss.getClass(), copy.getClass(), loss.name());
        assertEquals(loss.config(), copy.config(), loss.name());
        assertArrayEquals(run(loss, p, y), run(copy, p, y), loss.name());
    }

    @Test
    void eachRoundTripsThroughByNameWithItsOptions() {
        Tensor logProbabilities = BE.tensor(new float[] {-1.2f, -0.4f, -2.3f, -0.9f, -1.7f, -0.8f}, 2, 3);
        Tensor labels = BE.tensor(new float[] {2, 1}, 2);
        Tensor probabilities = BE.tensor(new float[] {0.2f, 0.8f, 0f, 0.5f, 0.25f, 0.25f}, 2, 3);
        Tensor counts = BE.tensor(new float[] {0, 1, 3, 2, 7, 0.5f}, 2, 3);
        Tensor binary = BE.tensor(new float[] {0, 1, 1, 1, 0, 0}, 2, 3);
        assertRoundTrip(new NegativeLogLikelihood(new float[] {0.5f, 2f, 3f}, 1, Reduction.SUM), logProbabilities,
                labels);
        assertRoundTrip(Losses.nll(), logProbabilities, labels);
        assertRoundTrip(new KLDivergence(Reduction.MEAN, true), logProbabilities, logProbabilities);
        assertRoundTrip(new KLDivergence(Reduction.SUM, false), logProbabilities, probabilities);
        assertRoundTrip(new PoissonNegativeLogLikelihood(false, true, 0.25, Reduction.SUM), counts, counts);
        assertRoundTrip(Losses.poissonNll(), logProbabilities, counts);
        assertRoundTrip(new SigmoidFocal(0.6, 1.5, Reduction.SUM), logProbabilities, binary);
        assertRoundTrip(new SigmoidFocal(-1, 0, Reduction.MEAN), logProbabilities, binary);
        assertRoundTrip(Losses.smoothL1(0.3), logProbabilities, probabilities);
        // and the ones that had options before: their config is read back the same way
        assertRoundTrip(Losses.huber(0.7), logProbabilities, probabilities);
        assertRoundTrip(Losses.softmaxCrossEntropy(new float[] {1f, 2f, 0.5f}, 0.1), logProbabilities, labels);
        assertRoundTrip(Losses.binaryCrossEntropyWithLogits(2f, 1f, 3f), logProbabilities, binary);
        assertRoundTrip(Losses.mse(), logProbabilities, probabilities);
    }

    @Test
    void byNameOfAnEmptyConfigGivesPyTorchsDefaults() {
        NegativeLogLikelihood nll = assertInstanceOf(NegativeLogLikelihood.class, Losses.byName("nll", Map.of()));
        assertNull(nll.classWeights());
        assertEquals(-100, nll.ignoreIndex());
        assertEquals(Reduction.MEAN, nll.reduction());
        KLDivergence kl = assertInstanceOf(KLDivergence.class, Losses.byName("kl_div", null));
        assertEquals(Reduction.BATCHMEAN, kl.reduction());
        assertEquals(false, kl.logTarget());
        PoissonNegativeLogLikelihood poisson = assertInstanceOf(PoissonNegativeLogLikelihood.class,
                Losses.byName("poisson_nll", Map.of()));
        assertTrue(poisson.logInput());
        assertEquals(false, poisson.full());
        assertEquals(1e-8f, poisson.eps());
        assertEquals(Reduction.MEAN, poisson.reduction());
        SigmoidFocal focal = assertInstanceOf(SigmoidFocal.class, Losses.byName("sigmoid_focal", Map.of()));
        assertEquals(0.25f, focal.alpha());
        assertEquals(2f, focal.gamma());
        assertEquals(Reduction.MEAN, focal.reduction());
        assertEquals(1f, assertInstanceOf(SmoothL1.class, Losses.byName("smooth_l1", Map.of())).beta());

        NegativeLogLikelihood given = (NegativeLogLikelihood) Losses.byName("nll",
                Map.of("weight", List.of(1, 2.5), "ignore_index", 0, "reduction", "sum"));
        assertArrayEquals(new float[] {1f, 2.5f}, given.classWeights());
        assertEquals(0, given.ignoreIndex());
        assertEquals(Reduction.SUM, given.reduction());
    }

    @Test
    void badOptionsAreRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.byName("kl_div", Map.of("reduction", "none")));
        assertEquals("kl_div: reduction 'none' is not one of batchmean, mean, sum (a loss gives one value, so not"
                + " 'none')", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("nll", Map.of("reduction", "batchmean")));
        assertEquals("nll: reduction 'batchmean' is not one of mean, sum", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("kl_div", Map.of("log_target", "yes")));
        assertTrue(e.getMessage().contains("'log_target' must be true or false"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("nll", Map.of("ignore_index", 0.5)));
        assertTrue(e.getMessage().contains("'ignore_index' must be a whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("smooth_l1", Map.of("beta", 0)));
        assertEquals("smooth_l1: beta 0 is L1Loss; use mae", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.smoothL1(-1));
        assertEquals("smooth_l1: beta must be positive and finite, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.sigmoidFocal(1.5, 2));
        assertTrue(e.getMessage().startsWith("sigmoid_focal: alpha must be in [0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.sigmoidFocal(0.25, -1));
        assertEquals("sigmoid_focal: gamma must be finite and at least 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.poissonNll(false, false, -1e-8));
        assertEquals("poisson_nll: eps must be finite and at least 0, got -1.0E-8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.nll(new float[] {1, Float.NaN}, -100));
        assertEquals("nll: class 1's weight is NaN; weights must be finite and at least 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.klDiv(null, false));
        assertEquals("kl_div: the reduction is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("focal", Map.of()));
        assertTrue(e.getMessage().contains("nll, kl_div, poisson_nll, sigmoid_focal"), e.getMessage());
    }

    @Test
    void nllNamesTheShapesItCannotUse() {
        Loss nll = Losses.nll(new float[] {1, 2, 3}, -100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nll.forward(BE.zeros(4, 3), BE.zeros(4, 3)));
        assertEquals("nll: target [4, 3] must hold one class index per row of the log-probabilities [4, 3] (4), not"
                + " 12 values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> nll.forward(BE.zeros(4, 2), BE.zeros(4)));
        assertEquals("nll: 3 class weights for log-probabilities [4, 2] of 2 classes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.nll().forward(BE.zeros(4), BE.zeros(4)));
        assertTrue(e.getMessage().startsWith("nll: log-probabilities [4] need a batch and a class axis"),
                e.getMessage());
    }

    /** -(1/2)(ln 0.5 + ln 0.25) on the chosen entries; with weights (1, 3): their weighted mean. */
    @Test
    void nllPicksTheLabelledLogProbabilities() {
        Tensor x = BE.tensor(new float[] {(float) Math.log(0.5), (float) Math.log(0.5),
            (float) Math.log(0.75), (float) Math.log(0.25)}, 2, 2);
        Tensor y = BE.tensor(new float[] {0, 1}, 2);
        assertEquals(-(Math.log(0.5) + Math.log(0.25)) / 2, Losses.nll().forward(x, y).item(), 1e-6);
        Loss weighted = Losses.nll(new float[] {1, 3}, -100);
        assertEquals(-(Math.log(0.5) + 3 * Math.log(0.25)) / 4, weighted.forward(x, y).item(), 1e-6);
        assertArrayEquals(new float[] {-0.25f, 0, 0, -0.75f}, weighted.backward().toArray(), 1e-7f);
    }

    /** KL(p || p) is 0, zeros of p included; batchmean, mean and sum divide by 2, 6 and 1. */
    @Test
    void klDivergenceOfADistributionFromItselfIsZeroAndReductionsDivideAsPyTorch() {
        float[] p = {0.2f, 0.8f, 0f, 0.5f, 0.25f, 0.25f};
        float[] logP = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            logP[i] = p[i] == 0 ? -100f : (float) Math.log(p[i]);
        }
        Tensor x = BE.tensor(logP, 2, 3);
        assertEquals(0f, Losses.klDiv().forward(x, BE.tensor(p, 2, 3)).item(), 1e-7);
        Tensor uniform = BE.tensor(new float[] {(float) -Math.log(3), (float) -Math.log(3), (float) -Math.log(3),
            (float) -Math.log(3), (float) -Math.log(3), (float) -Math.log(3)}, 2, 3);
        Tensor q = BE.tensor(new float[] {1, 0, 0, 1, 0, 0}, 2, 3);
        // each row: 1 (ln 1 + ln 3) = ln 3
        assertEquals(2 * Math.log(3) / 2, new KLDivergence(Reduction.BATCHMEAN, false).forward(uniform, q).item(), 1e-6);
        assertEquals(2 * Math.log(3) / 6, new KLDivergence(Reduction.MEAN, false).forward(uniform, q).item(), 1e-6);
        assertEquals(2 * Math.log(3), new KLDivergence(Reduction.SUM, false).forward(uniform, q).item(), 1e-6);
    }

    /** SmoothL1(beta) is Huber(beta) / beta in value and gradient; at beta 1, the same bits. */
    @Test
    void smoothL1IsHuberOverBeta() {
        Tensor p = BE.tensor(new float[] {0.9f, -1.2f, 0.3f, 2.0f, -0.4f, 3.7f}, 3, 2);
        Tensor y = BE.tensor(new float[] {0.2f, 0.5f, -0.6f, 0.1f, 0.4f, -0.3f}, 3, 2);
        float[] huber = run(Losses.huber(1.5), p, y);
        float[] smooth = run(Losses.smoothL1(1.5), p, y);
        for (int i = 0; i < huber.length; i++) {
            assertEquals(huber[i] / 1.5, smooth[i], 1e-6, "item " + i);
        }
        assertArrayEquals(run(Losses.huber(1.0), p, y), run(Losses.smoothL1(1.0), p, y));
        assertEquals("smooth_l1", Losses.smoothL1(2).name());
    }

    /** gamma 0 without alpha is binary cross-entropy on logits; q = e^-40 is not lost to rounding. */
    @Test
    void sigmoidFocalWithoutFocusingIsBceWithLogitsAndConfidentCasesStayPositive() {
        Tensor z = BE.tensor(new float[] {-2f, 0.5f, 3f, -0.3f, 40f, -40f}, 3, 2);
        Tensor y = BE.tensor(new float[] {0, 1, 1, 1, 0, 1}, 3, 2);
        assertArrayEquals(run(Losses.binaryCrossEntropyWithLogits(), z, y), run(Losses.sigmoidFocal(-1, 0), z, y),
                1e-6f);
        Tensor right = BE.tensor(new float[] {40f}, 1, 1);
        Loss focal = Losses.sigmoidFocal(-1, 1);
        float v = focal.forward(right, BE.tensor(new float[] {1}, 1, 1)).item();
        // ce = ln(1 + e^-40) = e^-40, q = sigmoid(-40) = e^-40: the loss e^-80 is still a positive float
        assertEquals(Math.exp(-80), v, Math.exp(-80) * 1e-5);
        assertTrue(focal.backward().toArray()[0] < 0, "the gradient still pushes the right way");
    }

    /** The Stirling term counts only targets above 1, and changes the value, not the gradient. */
    @Test
    void poissonsStirlingTermIsForCountsAboveOne() {
        Tensor x = BE.tensor(new float[] {0.5f, -0.2f, 1f, 2f}, 4, 1);
        Tensor y = BE.tensor(new float[] {0, 1, 2, 5}, 4);
        float[] plain = run(Losses.poissonNll(true, false, 1e-8), x, y);
        float[] full = run(Losses.poissonNll(true, true, 1e-8), x, y);
        double stirling = 0;
        for (int k : new int[] {2, 5}) {
            stirling += k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k);
        }
        assertEquals(plain[0] + stirling / 4, full[0], 1e-6);
        assertArrayEquals(java.util.Arrays.copyOfRange(plain, 1, 5), java.util.Arrays.copyOfRange(full, 1, 5));
    }
}
