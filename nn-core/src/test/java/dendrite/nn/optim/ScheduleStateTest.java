package dendrite.nn.optim;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stateful schedule hands out its state and takes it back, so a resumed one decides as the original. */
class ScheduleStateTest {

    @Test
    void reduceOnPlateauStateRoundTripsAndTheCopyDecidesAsTheOriginal() {
        LearningRateSchedule original = Schedules.reduceOnPlateau(0.5, 1, 0.0, 0.0);
        double[] monitored = {1.0, 0.9, 0.95, 0.97, 0.99, 0.8, 0.85, 0.86};
        for (int e = 0; e < 4; e++) {
            original.onEpochEnd(e, monitored[e]);
        }
        Map<String, Double> saved = original.state();
        assertEquals(Map.of("scale", 0.5, "best", 0.9, "bad_epochs", 0.0), saved,
                "epoch 2 and 3 did not improve on 0.9: patience 1 is exceeded once, halving the rate");

        LearningRateSchedule resumed = Schedules.reduceOnPlateau(0.5, 1, 0.0, 0.0);
        resumed.restoreState(saved);
        for (int e = 4; e < monitored.length; e++) {
            original.onEpochEnd(e, monitored[e]);
            resumed.onEpochEnd(e, monitored[e]);
            assertEquals(original.rate(0.1, 0, e), resumed.rate(0.1, 0, e), "epoch " + e);
            assertEquals(original.state(), resumed.state(), "epoch " + e);
        }
    }

    @Test
    void aFreshReduceOnPlateauHasNotSeenAnyValue() {
        assertEquals(Map.of("scale", 1.0, "best", Double.POSITIVE_INFINITY, "bad_epochs", 0.0),
                Schedules.reduceOnPlateau(0.5, 2, 0.0, 0.0).state());
    }

    @Test
    void wrongNamesOrValuesAreRefusedAndLeaveTheScheduleUnchanged() {
        LearningRateSchedule s = Schedules.reduceOnPlateau(0.5, 1, 0.0, 0.0);
        s.onEpochEnd(0, 2.0);
        Map<String, Double> before = s.state();

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> s.restoreState(Map.of("scale", 0.5)));
        assertTrue(missing.getMessage().contains("[scale, best, bad_epochs]"), missing.getMessage());

        Map<String, Double> fractional = new LinkedHashMap<>(before);
        fractional.put("bad_epochs", 1.5);
        assertThrows(IllegalArgumentException.class, () -> s.restoreState(fractional));
        Map<String, Double> badScale = new LinkedHashMap<>(before);
        badScale.put("scale", 0.0);
        assertThrows(IllegalArgumentException.class, () -> s.restoreState(badScale));
        assertEquals(before, s.state());
    }

    @Test
    void pureSchedulesKeepNoStateAndRefuseSome() {
        assertEquals(Map.of(), Schedules.cosine(10, 100, 0.0).state());
        Schedules.constant().restoreState(Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.stepDecay(2, 0.5).restoreState(Map.of("scale", 0.5)));
        assertTrue(e.getMessage().contains("step_decay(2, 0.5) keeps no state"), e.getMessage());
    }
}
