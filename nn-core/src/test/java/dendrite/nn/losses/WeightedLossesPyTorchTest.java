package dendrite.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.Locale;
import java.util.Map;

/**
 * Class weights in {@link SoftmaxCrossEntropy} and positive weights in {@link BinaryCrossEntropyWithLogits}
 * give PyTorch's loss and gradient ({@code CrossEntropyLoss(weight=...)}, {@code BCEWithLogitsLoss(pos_weight=...)},
 * computed here in float64) within 1e-5, on every backend: class-index targets (where the mean is over the
 * chosen classes' weights) with and without label smoothing, probability targets (a mean over rows), a
 * sequence's logits {@code [m, T, C]}, and logits far out where a naive form overflows.
 */
class WeightedLossesPyTorchTest {
    private static final float[] CLASS_WEIGHTS = {0.5f, 2f, 1f, 3.5f, 0.25f};

    private static float[] values(long seed, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * CounterRandom.uniform(seed, i) - 1);
        }
        return v;
    }

    private static float[] labels(int n, int classes) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 3 + i / 2) % classes;                  // every class, unevenly
        }
        return v;
    }

    @OnEveryBackend
    void classIndicesAsPyTorch(String backend) throws Exception {
        compareCrossEntropy(backend, 7, 1, labels(7, 5), 0.0);
    }

    @OnEveryBackend
    void classIndicesWithLabelSmoothingAsPyTorch(String backend) throws Exception {
        compareCrossEntropy(backend, 7, 1, labels(7, 5), 0.1);
    }

    @OnEveryBackend
    void sequenceOfClassIndicesAsPyTorch(String backend) throws Exception {
        compareCrossEntropy(backend, 3, 4, labels(12, 5), 0.05);
    }

    @OnEveryBackend
    void probabilityTargetsAsPyTorch(String backend) throws Exception {
        int m = 6;
        float[] p = values(11, m * 5, 1f);
        for (int i = 0; i < m; i++) {                          // rows of probabilities
            float sum = 0;
            for (int j = 0; j < 5; j++) {
                p[i * 5 + j] = Math.abs(p[i * 5 + j]) + 0.01f;
                sum += p[i * 5 + j];
            }
            for (int j = 0; j < 5; j++) {
                p[i * 5 + j] /= sum;
            }
        }
        compareCrossEntropy(backend, m, 1, p, 0.0);
    }

    /** m samples of t steps each, C = 5 classes; targets are indices (m t of them) or probabilities. */
    private static void compareCrossEntropy(String backend, int m, int t, float[] target, double smoothing)
            throws Exception {
        int classes = CLASS_WEIGHTS.length;
        float[] z = values(5, m * t * classes, 3f);
        boolean indices = target.length == m * t;
        String torchTarget = indices ? "torch.tensor([" + PyTorch.list(target) + "]).long()"
                : "torch.tensor([" + PyTorch.list(target) + "]).reshape(-1, " + classes + ")";
        Map<String, double[]> expected = PyTorch.namedValues(String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                z = torch.tensor([%s]).reshape(-1, %d).requires_grad_(True)
                loss = torch.nn.CrossEntropyLoss(weight=torch.tensor([%s]), label_smoothing=%s)(z, %s)
                loss.backward()
                print('loss', repr(loss.item()))
                print('dz', ' '.join(repr(v) for v in z.grad.reshape(-1).tolist()))
                """, PyTorch.list(z), classes, PyTorch.list(CLASS_WEIGHTS), smoothing, torchTarget));

        Backend be = EveryBackend.get(backend);
        Loss loss = Losses.softmaxCrossEntropy(CLASS_WEIGHTS, smoothing);
        Tensor logits = t == 1 ? be.tensor(z, m, classes) : be.tensor(z, m, t, classes);
        Tensor y = indices ? (t == 1 ? be.tensor(target, m) : be.tensor(target, m, t)) : be.tensor(target, m, classes);
        float value = loss.forward(logits, y).item();
        float[] dz = loss.backward().toArray();
        assertClose(expected.get("loss")[0], value, "loss");
        for (int i = 0; i < dz.length; i++) {
            assertClose(expected.get("dz")[i], dz[i], "dL/dz[" + i + "]");
        }
    }

    @OnEveryBackend
    void positiveWeightPerOutputAsPyTorch(String backend) throws Exception {
        compareBce(backend, new float[] {3f, 0.5f, 1f});
    }

    @OnEveryBackend
    void onePositiveWeightForAllOutputsAsPyTorch(String backend) throws Exception {
        compareBce(backend, new float[] {4f});
    }

    private static void compareBce(String backend, float[] posWeight) throws Exception {
        int m = 5;
        int outputs = 3;
        float[] z = values(7, m * outputs, 4f);
        z[1] = 40f;                                            // e^40 overflows a float: the stable form must hold
        z[4] = -40f;
        float[] y = new float[m * outputs];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3 == 0 ? 1f : 0f;
        }
        y[1] = 1f;
        y[4] = 1f;
        y[7] = 0.3f;                                           // a soft target
        Map<String, double[]> expected = PyTorch.namedValues(String.format(Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                z = torch.tensor([%s]).reshape(%d, %d).requires_grad_(True)
                y = torch.tensor([%s]).reshape(%d, %d)
                loss = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([%s]))(z, y)
                loss.backward()
                print('loss', repr(loss.item()))
                print('dz', ' '.join(repr(v) for v in z.grad.reshape(-1).tolist()))
                """, PyTorch.list(z), m, outputs, PyTorch.list(y), m, outputs, PyTorch.list(posWeight)));

        Backend be = EveryBackend.get(backend);
        Loss loss = Losses.binaryCrossEntropyWithLogits(posWeight);
        float value = loss.forward(be.tensor(z, m, outputs), be.tensor(y, m, outputs)).item();
        float[] dz = loss.backward().toArray();
        assertClose(expected.get("loss")[0], value, "loss");
        for (int i = 0; i < dz.length; i++) {
            assertClose(expected.get("dz")[i], dz[i], "dL/dz[" + i + "]");
        }
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }
}
