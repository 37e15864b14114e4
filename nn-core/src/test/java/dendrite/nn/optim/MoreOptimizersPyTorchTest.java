package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * NAdam, RAdam, Adamax and Adadelta follow PyTorch 1.13's {@code torch.optim} step for step: two
 * parameters of 7 and 37 values (neither a multiple of a vector's 8 or 16 lanes, so every backend's
 * tails run), the gradients those of {@code sum (p - c/2)^2}, {@code 2 p - c} (so each step's gradient
 * depends on the last; exact in float on both sides), ten steps, with PyTorch's defaults and with other
 * betas, eps and weight decay. After every step each parameter and each state tensor (by PyTorch's
 * name) is compared with PyTorch's, run here, on every backend.
 *
 * <p>One value of each parameter has a gradient of exactly 0 until weight decay moves it (its start is
 * {@code c/2}): there Adamax's eps is all that keeps the step from 0 / 0, and NAdam's and RAdam's from
 * dividing by a bare {@code sqrt(0)}. Ten steps take RAdam over its switch: steps 1 to 5 are momentum
 * alone, 6 to 10 rectified (with either beta2 tested). NAdam's {@code mu_product}, which is no tensor
 * here, is checked on its own, bit for bit. NAdam is compared with 1.13's {@code foreach=True} step,
 * whose {@code P_t mu_(t+1)} is PyTorch 2.0's (1.13's single-tensor step counts {@code mu_t} twice).
 *
 * <p>Tolerance: {@value #ULPS} units in the last place of the largest value of the same tensor at
 * that step (PyTorch's), about 2e-6 of it. Dendrite composes each update from element-wise
 * operations in PyTorch's order, its scalars in double as PyTorch's Python floats, but PyTorch fuses
 * some multiply-adds ({@code add(alpha=)}, {@code addcmul}) and divides by scalars where Dendrite
 * multiplies by the reciprocal: each is half an ulp of an intermediate, which a value that comes out
 * of cancellation (a running mean of gradients that change sign) keeps at the scale of the values it
 * came from, up to 114 ulps of its own here. The worst measured, the same on every backend: 5 ulps
 * of the largest (Adadelta's {@code acc_delta}), at most 2 for NAdam, RAdam and Adamax; a wrong
 * formula (the mutations listed in the commit) is off by over a hundred, or gives NaN.
 */
class MoreOptimizersPyTorchTest {
    private static final int STEPS = 10;
    private static final double ULPS = 16;
    private static final float[] START_A = start(7, 0.3);
    private static final float[] TARGET_A = target(START_A, 0.9);
    private static final float[] START_B = start(37, 1.1);
    private static final float[] TARGET_B = target(START_B, 1.7);
    /** PyTorch's trajectories by program: each is run once, for all backends. */
    private static final Map<String, Map<String, double[]>> TORCH = new ConcurrentHashMap<>();

    /** Values from about -5 to 5, a few near 0 (1e-3), none on a regular grid. */
    private static float[] start(int n, double phase) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double x = Math.sin(1.7 * i + phase) * (1 + i % 5);
            v[i] = (float) (i % 6 == 4 ? x * 1e-3 : x);
        }
        return v;
    }

    /** c: the minimum of the loss is at c/2; value 3's c is twice its start, so its gradient starts at 0 exactly. */
    private static float[] target(float[] start, double phase) {
        float[] c = new float[start.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = i == 3 ? 2 * start[i] : (float) (2 * Math.cos(2.3 * i + phase));
        }
        return c;
    }

    /** Dendrite's trajectory: per step, per name ({@code a}, {@code b.exp_avg}, ...), the values. */
    private static Map<String, float[]>[] dendrite(Backend be, Supplier<Optimizer> make) {
        Parameter a = new Parameter("a", be, Shape.of(START_A.length));
        Parameter b = new Parameter("b", be, Shape.of(START_B.length));
        a.value().copyFrom(START_A);
        b.value().copyFrom(START_B);
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Optimizer opt = make.get();
        @SuppressWarnings("unchecked")
        Map<String, float[]>[] steps = new Map[STEPS];
        try (Tensor ca = be.tensor(TARGET_A, TARGET_A.length); Tensor cb = be.tensor(TARGET_B, TARGET_B.length)) {
            for (int s = 0; s < STEPS; s++) {
                gradient(be, a, ca);
                gradient(be, b, cb);
                opt.step(params);
                Map<String, float[]> now = new LinkedHashMap<>();
                now.put("a", a.value().toArray());
                now.put("b", b.value().toArray());
                opt.state().forEach((k, v) -> now.put(k, v.toArray()));
                steps[s] = now;
            }
        }
        return steps;
    }

    /** {@code grad = 2 p - c}: the doubling is exact and the subtraction rounds once, as in PyTorch. */
    private static void gradient(Backend be, Parameter p, Tensor c) {
        be.affine(p.value(), 2f, 0f, p.grad());
        be.binary(BinaryOp.SUB, p.grad(), c, p.grad());
    }

    /** PyTorch's trajectory for {@code optimizer}, a constructor call on {@code [a, b]}: names as {@code step/name}. */
    private static Map<String, double[]> torch(String optimizer) {
        return torch(optimizer, "None");
    }

    /**
     * PyTorch's trajectory for {@code optimizer} stepped with {@code scheduler}, a constructor call on
     * {@code opt} ({@code None} for none), stepped after each optimizer step.
     */
    private static Map<String, double[]> torch(String optimizer, String scheduler) {
        return TORCH.computeIfAbsent(optimizer + " | " + scheduler, key -> {
            String o = optimizer;
            String code = String.format(Locale.ROOT, """
                    import torch
                    a = torch.tensor([%s], dtype=torch.float32, requires_grad=True)
                    b = torch.tensor([%s], dtype=torch.float32, requires_grad=True)
                    ca = torch.tensor([%s], dtype=torch.float32)
                    cb = torch.tensor([%s], dtype=torch.float32)
                    opt = %s
                    assert bool(opt.defaults.get('foreach')) == ('foreach=True' in %s), 'the step compared'
                    sched = %s
                    for s in range(%d):
                        a.grad = 2 * a.detach() - ca
                        b.grad = 2 * b.detach() - cb
                        opt.step()
                        if sched is not None:
                            sched.step()
                        for name, p in (('a', a), ('b', b)):
                            print('%%d/%%s' %% (s, name), ' '.join(repr(v) for v in p.detach().tolist()))
                            for k, v in opt.state[p].items():
                                if torch.is_tensor(v) and v.dim() > 0:
                                    print('%%d/%%s.%%s' %% (s, name, k), ' '.join(repr(x) for x in v.tolist()))
                    """, list(START_A), list(START_B), list(TARGET_A), list(TARGET_B), o, pythonString(o), scheduler,
                    STEPS);
            try {
                return PyTorch.namedValues(code);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** The values as exact doubles, so Python reads back the very floats. */
    /** {@code s} as a Python string literal (it holds no quote or backslash). */
    private static String pythonString(String s) {
        return "'" + s + "'";
    }

    private static String list(float[] values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append((double) v);
        }
        return sb.toString();
    }

    /**
     * Every step's parameters and state tensors against PyTorch's, under the same names: Dendrite's state names
     * are PyTorch's (those PyTorch keeps as numbers, step and NAdam's mu_product, are not tensors here).
     */
    private static void same(String backend, String optimizer, Supplier<Optimizer> make) {
        same(backend, optimizer, "None", ULPS, make);
    }

    private static void same(String backend, String optimizer, String scheduler, double ulps, Supplier<Optimizer> make) {
        Map<String, double[]> expected = torch(optimizer, scheduler);
        Map<String, float[]>[] actual = dendrite(EveryBackend.get(backend), make);
        for (int s = 0; s < STEPS; s++) {
            String prefix = s + "/";
            TreeSet<String> torchNames = new TreeSet<>();
            expected.keySet().stream().filter(k -> k.startsWith(prefix))
                    .forEach(k -> torchNames.add(k.substring(prefix.length())));
            assertEquals(torchNames, new TreeSet<>(actual[s].keySet()), optimizer + ": the names of step " + (s + 1));
            for (Map.Entry<String, float[]> e : actual[s].entrySet()) {
                double[] want = expected.get(prefix + e.getKey());
                float[] got = e.getValue();
                assertEquals(want.length, got.length, e.getKey());
                double largest = 0;
                for (double w : want) {
                    largest = Math.max(largest, Math.abs(w));
                }
                double unit = Math.ulp((float) largest);
                for (int i = 0; i < want.length; i++) {
                    if (!(Math.abs(want[i] - got[i]) <= ulps * unit)) {
                        fail(String.format(Locale.ROOT, "%s on %s, step %d, %s[%d]: PyTorch %s, Dendrite %s (%.1f"
                                + " ulps of the tensor's largest value, %s)", optimizer, backend, s + 1, e.getKey(),
                                i, (float) want[i], got[i], Math.abs(want[i] - got[i]) / unit, (float) largest));
                    }
                }
            }
        }
    }

    @OnEveryBackend
    void nadamWithPyTorchsDefaults(String backend) {
        same(backend, "torch.optim.NAdam([a, b], lr=0.05, foreach=True)", () -> new NAdam(0.05));
    }

    @OnEveryBackend
    void nadamWithItsOptionsAndWeightDecay(String backend) {
        same(backend, "torch.optim.NAdam([a, b], lr=0.03, betas=(0.8, 0.95), eps=1e-3, weight_decay=0.1,"
                + " momentum_decay=0.2, foreach=True)",
                () -> new NAdam(0.03, 0.8, 0.95, 1e-3, 0.2).weightDecay(0.1));
    }

    /**
     * NAdam's {@code P_t}, which PyTorch 1.13 keeps as a float32 tensor ({@code mu_product}) rounded at
     * every step, is its value bit for bit: step after step, and computed afresh at a late step as a
     * resumed run does (it is not saved).
     */
    @org.junit.jupiter.api.Test
    void nadamsMuProductIsPyTorchsFloat32ProductBitForBit() throws Exception {
        for (String[] c : new String[][] {{"0.9", "0.004"}, {"0.8", "0.2"}, {"0.99", "0.0"}}) {
            double beta1 = Double.parseDouble(c[0]);
            double decay = Double.parseDouble(c[1]);
            double[] torch = PyTorch.namedValues(String.format(Locale.ROOT, """
                    import torch
                    p = torch.zeros(1, requires_grad=True)
                    opt = torch.optim.NAdam([p], betas=(%s, 0.999), momentum_decay=%s)
                    out = []
                    for _ in range(400):
                        p.grad = torch.ones(1)
                        opt.step()
                        out.append(repr(opt.state[p]['mu_product'].item()))
                    print('mu_product', ' '.join(out))
                    """, c[0], c[1])).get("mu_product");
            Parameter p = new Parameter("w", EveryBackend.get("scalar"), Shape.of(1));
            String what = "betas " + c[0] + ", momentum_decay " + c[1];
            NAdam stepping = new NAdam(0.01, beta1, 0.999, 1e-8, decay);
            for (int t = 1; t <= torch.length; t++) {
                assertEquals((float) torch[t - 1], stepping.muProduct(p, t), what + ", step " + t);
                NAdam resumed = new NAdam(0.01, beta1, 0.999, 1e-8, decay);
                assertEquals((float) torch[t - 1], resumed.muProduct(p, t), what + ", afresh at step " + t);
            }
            // By step 400 each product has stopped changing (0, or the smallest subnormal once mu > 1/2), and
            // mu_t only grows: a run resumed at step 10^9 gets that value, without walking 10^9 steps.
            NAdam late = new NAdam(0.01, beta1, 0.999, 1e-8, decay);
            float atLateStep = org.junit.jupiter.api.Assertions.assertTimeout(java.time.Duration.ofSeconds(5),
                    () -> late.muProduct(p, 1_000_000_000L));
            assertEquals((float) torch[torch.length - 1], atLateStep, what + ", step 10^9");
        }
    }

    @OnEveryBackend
    void radamWithPyTorchsDefaultsOverItsSwitch(String backend) {
        RAdam radam = new RAdam(0.05);
        assertFalse(radam.rectifies(5), "step 5: momentum alone");
        assertTrue(radam.rectifies(6), "step 6: rectified");
        same(backend, "torch.optim.RAdam([a, b], lr=0.05)", () -> new RAdam(0.05));
    }

    @OnEveryBackend
    void radamWithItsOptionsAndWeightDecayOverItsSwitch(String backend) {
        RAdam radam = new RAdam(0.05, 0.8, 0.9, 1e-6);
        assertFalse(radam.rectifies(5), "step 5: momentum alone");
        assertTrue(radam.rectifies(6), "step 6: rectified");
        same(backend, "torch.optim.RAdam([a, b], lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)",
                () -> new RAdam(0.05, 0.8, 0.9, 1e-6).weightDecay(0.1));
    }

    /** PyTorch's OneCycleLR over the ten steps, momentum cycled (its default), the peak rate 0.05. */
    private static final String ONE_CYCLE = "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=10)";
    /**
     * Adam and RMSprop keep their decay rates as floats, so Adam's {@code 1 - beta2} is {@code 1 - 0.999f},
     * 1.3e-5 of it off PyTorch's: up to 195 ulps of the largest value at the first step (with a constant beta1
     * too); 400 ulps is 2.4e-5 to 4.8e-5 of it. A beta1 left at the optimizer's own is off by far more.
     */
    private static final double FLOAT_RATES_ULPS = 400;

    private static LearningRateSchedule oneCycle() {
        return Schedules.oneCycle(STEPS);
    }

    @OnEveryBackend
    void oneCycleCyclesAdamsBeta1AsPyTorchDoes(String backend) {
        same(backend, "torch.optim.Adam([a, b], lr=0.05)", ONE_CYCLE, FLOAT_RATES_ULPS,
                () -> new Adam(0.05).schedule(oneCycle()));
        same(backend, "torch.optim.AdamW([a, b], lr=0.05, betas=(0.5, 0.9), weight_decay=0.1)", ONE_CYCLE,
                FLOAT_RATES_ULPS, () -> new AdamW(0.05, 0.5, 0.9, 1e-8, 0.1, false).schedule(oneCycle()));
        same(backend, "torch.optim.Adam([a, b], lr=0.05, amsgrad=True)", ONE_CYCLE, FLOAT_RATES_ULPS,
                () -> new Adam(0.05, 0.9, 0.999, 1e-8, true).schedule(oneCycle()));
    }

    @OnEveryBackend
    void oneCycleCyclesAdamaxsAndRAdamsBeta1AsPyTorchDoes(String backend) {
        same(backend, "torch.optim.Adamax([a, b], lr=0.05)", ONE_CYCLE, ULPS,
                () -> new Adamax(0.05).schedule(oneCycle()));
        same(backend, "torch.optim.RAdam([a, b], lr=0.05)", ONE_CYCLE, ULPS, () -> new RAdam(0.05).schedule(oneCycle()));
    }

    @OnEveryBackend
    void oneCycleCyclesTheMomentumOfSgdAndRmsPropAsPyTorchDoes(String backend) {
        same(backend, "torch.optim.SGD([a, b], lr=0.05, momentum=0.5)", ONE_CYCLE, ULPS,
                () -> new Sgd(0.05, 0.5, false).schedule(oneCycle()));
        same(backend, "torch.optim.SGD([a, b], lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1)", ONE_CYCLE,
                ULPS, () -> new Sgd(0.05, 0.5, true).weightDecay(0.1).schedule(oneCycle()));
        same(backend, "torch.optim.SGD([a, b], lr=0.05, momentum=0.5, dampening=0.3)", ONE_CYCLE, ULPS,
                () -> new Sgd(0.05, 0.5, 0.3, false).schedule(oneCycle()));
        same(backend, "torch.optim.RMSprop([a, b], lr=0.05, momentum=0.5)", ONE_CYCLE, FLOAT_RATES_ULPS,
                () -> new RmsProp(0.05, 0.99, 1e-8, 0.5, false).schedule(oneCycle()));
    }

    /** Optimizers without a momentum refuse a schedule that sets one, as PyTorch's OneCycleLR refuses them. */
    @org.junit.jupiter.api.Test
    void anOptimizerWithoutMomentumRefusesACycledMomentum() {
        for (Optimizer o : new Optimizer[] {new Adagrad(0.1), new Adadelta(1.0), new NAdam(0.01), new Sgd(0.1),
            new RmsProp(0.01)}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> o.schedule(Schedules.oneCycle(100)));
            assertTrue(e.getMessage().startsWith(o.getClass().getSimpleName() + ": the schedule one_cycle(total=100,"
                    + " pct_start=0.3, div=25.0, final_div=10000.0, momentum=0.95..0.85) sets the momentum, but "),
                    e.getMessage());
            assertEquals("constant", o.schedule().toString(), "the schedule is unchanged");
            o.schedule(Schedules.oneCycle(100, 0.3, 25, 1e4));                 // the rate alone: taken
            assertFalse(o.takesScheduledMomentum(), o.name());
        }
        for (Optimizer o : new Optimizer[] {new Adam(0.1), new AdamW(0.1), new Adamax(0.1), new RAdam(0.1),
            new Sgd(0.1, 0.9, false), new RmsProp(0.01, 0.99, 1e-8, 0.9, false)}) {
            assertTrue(o.takesScheduledMomentum(), o.name());
        }
    }

    @OnEveryBackend
    void adamaxWithPyTorchsDefaults(String backend) {
        same(backend, "torch.optim.Adamax([a, b], lr=0.05)", () -> new Adamax(0.05));
    }

    @OnEveryBackend
    void adamaxWithItsOptionsAndWeightDecay(String backend) {
        same(backend, "torch.optim.Adamax([a, b], lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1)",
                () -> new Adamax(0.05, 0.8, 0.9, 1e-3).weightDecay(0.1));
    }

    @OnEveryBackend
    void adadeltaWithPyTorchsDefaults(String backend) {
        same(backend, "torch.optim.Adadelta([a, b])", () -> new Adadelta(1.0));
    }

    @OnEveryBackend
    void adadeltaWithItsOptionsAndWeightDecay(String backend) {
        same(backend, "torch.optim.Adadelta([a, b], lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)",
                () -> new Adadelta(0.5, 0.8, 1e-4).weightDecay(0.1));
    }
}
