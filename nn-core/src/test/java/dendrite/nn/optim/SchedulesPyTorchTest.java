package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.PyTorch;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The schedules PyTorch has, against PyTorch's schedulers run here: the rate of every step (or epoch)
 * of a run, as {@code optimizer.param_groups[0]['lr']} reads before each step, within 1e-12 of it
 * relative (PyTorch's recursive forms multiply step by step; the closed forms here round differently).
 */
class SchedulesPyTorchTest {
    private static final double BASE = 0.1;

    /** PyTorch's rate before each of {@code count} scheduler steps. */
    private static double[] torch(String scheduler, int count) throws Exception {
        String code = String.format(Locale.ROOT, """
                import torch
                p = torch.zeros(1, requires_grad=True)
                opt = torch.optim.SGD([p], lr=%s)
                sched = %s
                rates = []
                for _ in range(%d):
                    rates.append(opt.param_groups[0]['lr'])
                    opt.step()
                    sched.step()
                print(' '.join(repr(v) for v in rates))
                """, BASE, scheduler, count);
        String[] lines = PyTorch.runCode(code).strip().split("\\n");
        return Arrays.stream(lines[lines.length - 1].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private static void assertStepsMatch(LearningRateSchedule s, String scheduler, int steps) throws Exception {
        double[] expected = torch(scheduler, steps);
        for (int t = 0; t < steps; t++) {
            double got = s.rate(BASE, t, 0);
            assertEquals(expected[t], got, 1e-12 * expected[t], s + ", step " + t + " against " + scheduler);
        }
    }

    @Test
    void oneCycleFollowsOneCycleLr() throws Exception {
        assertStepsMatch(Schedules.oneCycle(100), "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100,"
                + " cycle_momentum=False)", 100);
        assertStepsMatch(Schedules.oneCycle(37, 0.25, 10, 100), "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1,"
                + " total_steps=37, pct_start=0.25, div_factor=10, final_div_factor=100, cycle_momentum=False)", 37);
    }

    /**
     * The momentum one-cycle sets, against OneCycleLR's {@code momentum} (SGD's) and {@code betas[0]} (Adam's)
     * before each step, with PyTorch's defaults and with others; and the same rates as without it.
     */
    @Test
    void oneCycleCyclesTheMomentumAsOneCycleLrDoes() throws Exception {
        String[][] cases = {
            {"torch.optim.SGD([p], lr=0.1, momentum=0.9)", "momentum", "total_steps=100", "100"},
            {"torch.optim.Adam([p], lr=0.1)", "betas", "total_steps=100", "100"},
            {"torch.optim.SGD([p], lr=0.1, momentum=0.9)", "momentum",
                "total_steps=37, pct_start=0.25, div_factor=10, final_div_factor=100, base_momentum=0.6,"
                    + " max_momentum=0.99", "37"}};
        for (String[] c : cases) {
            int steps = Integer.parseInt(c[3]);
            String code = String.format(Locale.ROOT, """
                    import torch
                    p = torch.zeros(1, requires_grad=True)
                    opt = %s
                    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, %s)
                    out = []
                    for _ in range(%d):
                        m = opt.param_groups[0]['%s']
                        out.append(m[0] if isinstance(m, tuple) else m)
                        opt.step()
                        sched.step()
                    print(' '.join(repr(v) for v in out))
                    """, c[0], c[2], steps, c[1]);
            String[] lines = PyTorch.runCode(code).strip().split("\\n");
            double[] expected = Arrays.stream(lines[lines.length - 1].trim().split(" "))
                    .mapToDouble(Double::parseDouble).toArray();
            LearningRateSchedule s = steps == 100 ? Schedules.oneCycle(100)
                    : Schedules.oneCycle(37, 0.25, 10, 100, 0.6, 0.99);
            for (int t = 0; t < steps; t++) {
                assertEquals(expected[t], s.momentum(t, 0), 1e-12, s + ", step " + t + " against " + c[0]);
            }
        }
        assertStepsMatch(Schedules.oneCycle(37, 0.25, 10, 100, 0.6, 0.99), "torch.optim.lr_scheduler.OneCycleLR(opt,"
                + " max_lr=0.1, total_steps=37, pct_start=0.25, div_factor=10, final_div_factor=100)", 37);
    }

    @Test
    void warmRestartsFollowCosineAnnealingWarmRestarts() throws Exception {
        assertStepsMatch(Schedules.cosineWarmRestarts(7, 1, 0.0), "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts("
                + "opt, T_0=7)", 30);
        assertStepsMatch(Schedules.cosineWarmRestarts(5, 2, 0.1), "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts("
                + "opt, T_0=5, T_mult=2, eta_min=0.01)", 80);
    }

    @Test
    void multiStepFollowsMultiStepLrEpochByEpoch() throws Exception {
        LearningRateSchedule s = Schedules.multiStep(0.3, 3, 4, 9);
        double[] expected = torch("torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 4, 9], gamma=0.3)", 12);
        for (int epoch = 0; epoch < expected.length; epoch++) {
            assertEquals(expected[epoch], s.rate(BASE, 1000L * epoch, epoch), 1e-12 * expected[epoch], "epoch " + epoch);
        }
    }
}
