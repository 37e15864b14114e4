package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dendrite.nn.losses.Losses;
import dendrite.nn.losses.MultiTaskLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A head whose loss is NLL or the focal loss, with a class column, is scored by accuracy; a Poisson head on
 * log-rates by the errors of its rates e^x.
 */
class HeadMetricsTest {
    @Test
    void nllAndFocalHeadsReportAccuracyAndAPoissonHeadItsErrors() {
        MultiTaskLoss loss = MultiTaskLoss.builder()
                .head("class", 3, Losses.nll(), 1, 1.0)                 // log-probabilities, the class index
                .head("flag", 1, Losses.sigmoidFocal(), 1, 1.0)         // a logit, 0 or 1
                .head("count", 1, Losses.poissonNll(), 1, 1.0)
                .build();
        float[] outputs = {
            -0.1f, -3f, -2.5f, 2f, 0.5f,                                 // class 0, flag 1
            -2f, -0.2f, -3f, -1f, 1.5f,                                  // class 1, flag 0
            -2f, -3f, -0.3f, 0.7f, 2.5f};                                // class 2, flag 1
        float[] targets = {0, 1, 1, 1, 0, 3, 0, 0, 2};
        Map<String, Double> m = HeadMetrics.of(loss, outputs, targets, 3);
        assertEquals(2.0 / 3, m.get("class_accuracy"), 1e-12);          // the third sample's class is wrong
        assertEquals(2.0 / 3, m.get("flag_accuracy"), 1e-12);           // the third's flag is wrong
        assertFalse(m.containsKey("class_rmse"));
        double sq = 0;
        double abs = 0;
        float[][] rateAndCount = {{0.5f, 1}, {1.5f, 3}, {2.5f, 2}};
        for (float[] rc : rateAndCount) {
            double d = Math.exp(rc[0]) - rc[1];
            sq += d * d;
            abs += Math.abs(d);
        }
        assertEquals(Math.sqrt(sq / 3), m.get("count_rmse"), 1e-5);
        assertEquals(abs / 3, m.get("count_mae"), 1e-5);
    }
}
