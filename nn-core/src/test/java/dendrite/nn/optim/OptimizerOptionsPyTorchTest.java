package dendrite.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.layers.Parameter;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Issue 18: the PyTorch optimizer options Dendrite now has (Adagrad's lr_decay and
 * initial_accumulator_value, RMSProp's momentum and centered, Adam's and AdamW's amsgrad and betas,
 * SGD's dampening) follow PyTorch's trajectory: the same
 * start and the same gradients (those of sum p^2, so each step's gradient depends on the last),
 * eight steps, compared with PyTorch run here, on every backend.
 */
class OptimizerOptionsPyTorchTest {
    private static final float[] START = {0.5f, -1.25f, 2f, 0.01f, -0.3f, 3.5f, -2.2f};
    private static final int STEPS = 8;

    private static float[] dendrite(Backend be, Supplier<Optimizer> make) {
        Parameter p = new Parameter("w", be, Shape.of(START.length));
        p.value().copyFrom(START);
        Optimizer opt = make.get();
        Map<String, Parameter> params = Map.of("w", p);
        for (int i = 0; i < STEPS; i++) {
            be.affine(p.value(), 2f, 0f, p.grad());                      // d/dp of sum p^2
            opt.step(params);
        }
        return p.value().toArray();
    }

    private static double[] torch(String optimizer) throws Exception {
        String code = String.format(Locale.ROOT, """
                import torch
                p = torch.tensor([%s], dtype=torch.float32, requires_grad=True)
                opt = %s
                for _ in range(%d):
                    opt.zero_grad()
                    (p * p).sum().backward()
                    opt.step()
                print(' '.join(repr(v) for v in p.detach().tolist()))
                """, list(), optimizer, STEPS);
        String[] lines = PyTorch.runCode(code).strip().split("\\n");
        return Arrays.stream(lines[lines.length - 1].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String list() {
        StringBuilder sb = new StringBuilder();
        for (float v : START) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v);
        }
        return sb.toString();
    }

    private static void same(String what, double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-5 * Math.max(1, Math.abs(expected[i])), what + ", value " + i);
        }
    }

    @OnEveryBackend
    void adagradWithLrDecayAndAnInitialAccumulator(String backend) throws Exception {
        same(backend + " adagrad", torch("torch.optim.Adagrad([p], lr=0.1, lr_decay=0.05, initial_accumulator_value=0.3)"),
                dendrite(EveryBackend.get(backend), () -> new Adagrad(0.1, 0.05, 0.3, 1e-10)));
    }

    @OnEveryBackend
    void rmspropWithMomentum(String backend) throws Exception {
        same(backend + " rmsprop momentum", torch("torch.optim.RMSprop([p], lr=0.01, alpha=0.9, momentum=0.5)"),
                dendrite(EveryBackend.get(backend), () -> new RmsProp(0.01, 0.9, 1e-8, 0.5, false)));
    }

    @OnEveryBackend
    void rmspropCentered(String backend) throws Exception {
        same(backend + " rmsprop centered", torch("torch.optim.RMSprop([p], lr=0.01, alpha=0.9, centered=True)"),
                dendrite(EveryBackend.get(backend), () -> new RmsProp(0.01, 0.9, 1e-8, 0, true)));
    }

    @OnEveryBackend
    void rmspropCenteredWithMomentumAndWeightDecay(String backend) throws Exception {
        same(backend + " rmsprop all",
                torch("torch.optim.RMSprop([p], lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)"),
                dendrite(EveryBackend.get(backend), () -> new RmsProp(0.01, 0.9, 1e-8, 0.5, true).weightDecay(0.1)));
    }

    @OnEveryBackend
    void adamAmsgradWithWeightDecay(String backend) throws Exception {
        same(backend + " adam amsgrad",
                torch("torch.optim.Adam([p], lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True)"),
                dendrite(EveryBackend.get(backend), () -> new Adam(0.05, 0.8, 0.9, 1e-6, true).weightDecay(0.1)));
    }

    @OnEveryBackend
    void adamWWithBetasAndAmsgrad(String backend) throws Exception {
        same(backend + " adamw amsgrad",
                torch("torch.optim.AdamW([p], lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True)"),
                dendrite(EveryBackend.get(backend), () -> new AdamW(0.05, 0.8, 0.9, 1e-6, 0.1, true)));
        same(backend + " adamw betas",
                torch("torch.optim.AdamW([p], lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)"),
                dendrite(EveryBackend.get(backend), () -> new AdamW(0.05, 0.8, 0.9, 1e-6, 0.1, false)));
    }

    /**
     * SGD with dampening resumed half-way (a new optimizer given the first's state and step count, as a
     * checkpoint restores them) ends where an uninterrupted run ends: the momentum buffer is not
     * started over on the resumed run's first step.
     */
    @OnEveryBackend
    void sgdWithDampeningResumesWhereItStopped(String backend) {
        Backend be = EveryBackend.get(backend);
        float[] straight = dendrite(be, () -> new Sgd(0.05, 0.9, 0.3, false));
        Parameter p = new Parameter("w", be, Shape.of(START.length));
        p.value().copyFrom(START);
        Map<String, Parameter> params = Map.of("w", p);
        Optimizer first = new Sgd(0.05, 0.9, 0.3, false);
        for (int i = 0; i < STEPS / 2; i++) {
            be.affine(p.value(), 2f, 0f, p.grad());
            first.step(params);
        }
        Optimizer resumed = new Sgd(0.05, 0.9, 0.3, false);
        resumed.initializeState(params);
        be.copy(first.state().get("w.momentum_buffer"), resumed.state().get("w.momentum_buffer"));
        resumed.setStepCount(first.stepCount());
        for (int i = STEPS / 2; i < STEPS; i++) {
            be.affine(p.value(), 2f, 0f, p.grad());
            resumed.step(params);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(straight, p.value().toArray(), 1e-6f);
    }

    @OnEveryBackend
    void sgdWithDampening(String backend) throws Exception {
        same(backend + " sgd dampening",
                torch("torch.optim.SGD([p], lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)"),
                dendrite(EveryBackend.get(backend), () -> new Sgd(0.05, 0.9, 0.3, false).weightDecay(0.01)));
    }
}
