package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The schedules PyTorch lacks or that are checked here beyond {@link SchedulesPyTorchTest}: the linear
 * warm-up and decay's values from its definition, what each does past its last step, a restart's
 * cost on a long run, and the errors.
 */
class SchedulesTest {

    @Test
    void linearWarmsUpThenFallsInAStraightLine() {
        LearningRateSchedule s = Schedules.linear(4, 14, 0.1);
        double[] expected = {0.25, 0.5, 0.75, 1.0, 1.0, 0.91, 0.82, 0.73, 0.64, 0.55, 0.46, 0.37, 0.28, 0.19, 0.1, 0.1};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(2 * expected[t], s.rate(2, t, 0), 1e-12, "step " + t);
        }
        LearningRateSchedule noWarmup = Schedules.linear(0, 10, 0);
        assertEquals(3.0, noWarmup.rate(3, 0, 0));
        assertEquals(1.5, noWarmup.rate(3, 5, 0), 1e-15);
        assertEquals(0.0, noWarmup.rate(3, 11, 0));
    }

    @Test
    void oneCycleStartsLowPeaksAtTheBaseAndHoldsItsLastRate() {
        LearningRateSchedule s = Schedules.oneCycle(100);
        assertEquals(0.1 / 25, s.rate(0.1, 0, 0), 1e-15);
        assertEquals(0.1, s.rate(0.1, 29, 0), 1e-15, "the peak at pct_start * total - 1");
        double last = s.rate(0.1, 99, 0);
        assertEquals(0.1 / 25 / 1e4, last, 1e-15);
        assertEquals(last, s.rate(0.1, 250, 3), "past the cycle the rate stays at its end");
        for (int t = 1; t < 100; t++) {
            double before = s.rate(0.1, t - 1, 0);
            double now = s.rate(0.1, t, 0);
            assertTrue(t <= 29 ? now > before : now < before, "rises to step 29, falls after: step " + t);
        }
    }

    @Test
    void oneCycleCyclesTheMomentumTheOtherWayUnlessAskedForTheRateAlone() {
        LearningRateSchedule s = Schedules.oneCycle(100);
        assertTrue(s.setsMomentum());
        assertEquals(0.95, s.momentum(0, 0), 1e-15, "the most momentum while the rate is lowest");
        assertEquals(0.85, s.momentum(29, 0), 1e-15, "the least at the rate's peak");
        assertEquals(0.95, s.momentum(99, 0), 1e-15);
        assertEquals(0.95, s.momentum(250, 3), 1e-15, "held past the cycle");
        LearningRateSchedule rateAlone = Schedules.oneCycle(100, 0.3, 25, 1e4);
        assertFalse(rateAlone.setsMomentum());
        assertThrows(UnsupportedOperationException.class, () -> rateAlone.momentum(0, 0));
        for (int t = 0; t < 120; t++) {
            assertEquals(rateAlone.rate(0.1, t, 0), s.rate(0.1, t, 0), "the same rates, step " + t);
        }
        assertFalse(Schedules.cosine(10, 100, 0).setsMomentum(), "the other schedules leave the momentum alone");
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(100, 0.3, 25, 1e4, 0.85, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(100, 0.3, 25, 1e4, -0.1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(100, 0.3, 25, 1e4, Double.NaN, 0.9));
    }

    @Test
    void restartsJumpBackToTheBaseAndLongRunsStayCheap() {
        LearningRateSchedule s = Schedules.cosineWarmRestarts(10, 1, 0);
        assertEquals(1.0, s.rate(1, 10_000_000_000L, 0), "a restart at every multiple of the cycle");
        assertEquals(0.5, s.rate(1, 10_000_000_005L, 0), 1e-12, "halfway through a cycle");
        LearningRateSchedule growing = Schedules.cosineWarmRestarts(3, 2, 0);
        assertEquals(1.0, growing.rate(1, 3, 0));
        assertEquals(1.0, growing.rate(1, 9, 0), "cycles of 3, 6, 12, ...: restarts at 3, 9, 21");
        assertEquals(1.0, growing.rate(1, 21, 0));
        double far = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> growing.rate(1, Long.MAX_VALUE, 0),
                "the cycles grow, so a far step is a few dozen of them, not a loop over every one");
        assertTrue(far >= 0 && far <= 1, "no overflow in the cycle lengths: " + far);
    }

    @Test
    void argumentsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Schedules.linear(10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.linear(0, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(1));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(100, 1.0, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> Schedules.oneCycle(100, 0.3, 0.5, 1e4));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> Schedules.oneCycle(3, 0.3, 25, 1e4));
        assertTrue(tooShort.getMessage().contains("without a step"), tooShort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedules.cosineWarmRestarts(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.cosineWarmRestarts(5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedules.multiStep(0.1));
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> Schedules.multiStep(0.1, 5, 3));
        assertTrue(order.getMessage().contains("[5, 3]"), order.getMessage());
    }
}
