package dendrite.nn.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dendrite.nn.layers.BatchNorm1d;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.LayerRegistry;
import dendrite.nn.layers.RecurrentStack;
import dendrite.nn.losses.Losses;
import dendrite.nn.train.EarlyStopping;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Promise: a bad hyperparameter or a null argument to a user-facing constructor or factory is refused
 * where it is given, with an {@link IllegalArgumentException} naming the layer (or rule, or loss) and
 * the value, not as a NaN many steps later or a NullPointerException or ClassCastException from inside.
 */
class BadArgumentsTest {
    private static void assertRefused(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void batchNormalizationRefusesConstantsOutOfRange() {
        assertRefused("batch_norm1d: eps must be positive and finite (as a float), got 0.0", () -> new BatchNorm1d(0, 0.1));
        assertRefused("batch_norm1d: eps must be positive and finite (as a float), got -1.0E-5",
                () -> new BatchNorm1d(-1e-5, 0.1));
        assertRefused("batch_norm1d: momentum must be in [0, 1], got 1.5", () -> new BatchNorm1d(1e-5, 1.5));
        assertRefused("batch_norm2d: eps must be positive and finite (as a float), got NaN",
                () -> new BatchNorm2d(Double.NaN, 0.1));
        assertRefused("batch_norm2d: momentum must be in [0, 1], got -0.1", () -> new BatchNorm2d(1e-5, -0.1));
        assertRefused("batch_norm2d: momentum must be in [0, 1], got NaN",
                () -> LayerRegistry.create("batch_norm2d", Map.of("momentum", Double.NaN)));
        new BatchNorm1d(1e-5, 0);   // the ends of the range
        new BatchNorm2d(1e-5, 1);
    }

    @Test
    void earlyStoppingRefusesANegativePatienceOrMinDeltaAndANullMetric() {
        EarlyStopping rule = EarlyStopping.monitor("val_loss").patience(3);
        assertRefused("early stopping: patience must be at least 0, got -1", () -> rule.patience(-1));
        assertRefused("early stopping: minDelta must be 0 or a positive number, got -0.01", () -> rule.minDelta(-0.01));
        assertRefused("early stopping: minDelta must be 0 or a positive number, got NaN", () -> rule.minDelta(Double.NaN));
        assertEquals("EarlyStopping(val_loss, patience 3, minDelta 0.0)", rule.toString(), "unchanged");
        assertRefused("early stopping: the metric is null or blank, got null", () -> EarlyStopping.monitor(null));
        assertRefused("early stopping: the metric is null or blank, got ' '", () -> EarlyStopping.monitor(" "));
    }

    @Test
    void lossesByNameRefuseANullNameAndAnOptionThatIsNoNumber() {
        assertRefused("unknown loss 'null'; known: mse, mae, huber, smooth_l1, bce, bce_with_logits,"
                + " softmax_cross_entropy, nll, kl_div, poisson_nll, sigmoid_focal", () -> Losses.byName(null, Map.of()));
        assertRefused("huber: 'delta' must be a number, not the text \"big\"",
                () -> Losses.byName("huber", Map.of("delta", "big")));
        assertEquals(2.0f, ((dendrite.nn.losses.Huber) Losses.byName("huber", Map.of("delta", 2))).delta());
    }

    @Test
    void aRecurrentStackRefusesANullCell() {
        assertRefused("recurrent stack: cell must be lstm, gru or rnn, got null",
                () -> new RecurrentStack(null, 4, 8, 2, false, false, false));
    }

    @Test
    void theLayerRegistryRefusesANullType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerRegistry.create(null, null));
        assertEquals("unknown layer type 'null'", e.getMessage().substring(0, e.getMessage().indexOf(';')));
    }
}
