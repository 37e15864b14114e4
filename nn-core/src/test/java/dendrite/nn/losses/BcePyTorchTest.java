package dendrite.nn.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.Arrays;

/**
 * Issue 18: {@link BinaryCrossEntropy} gives PyTorch's {@code BCELoss} value and gradient, confident
 * and saturated predictions included (p = 0, 1, 1e-30, 1 - 1e-7), compared with PyTorch run here.
 * The old clamp of p to [1e-7, 1 - 1e-7] gave a gradient of -1.43e6 where PyTorch gives -1.43e11.
 */
class BcePyTorchTest {
    private static final float[] P = {1e-9f, 1 - 1e-7f, 0f, 1f, 0.3f, 0.999999f, 1e-30f, 0f, 1f, 0.5f};
    private static final float[] Y = {1, 0, 0, 1, 1, 0, 1, 1, 0, 0};

    @OnEveryBackend
    void lossAndGradientAreTorchs(String backend) throws Exception {
        StringBuilder py = new StringBuilder("import torch\n");
        py.append("p = torch.tensor([").append(PyTorch.list(P)).append("], dtype=torch.float32, requires_grad=True)\n");
        py.append("y = torch.tensor([").append(PyTorch.list(Y)).append("], dtype=torch.float32)\n");
        py.append("l = torch.nn.functional.binary_cross_entropy(p, y)\nl.backward()\n");
        py.append("print(repr(l.item()))\nprint(' '.join(repr(g) for g in p.grad.tolist()))\n");
        String[] lines = PyTorch.runCode(py.toString()).strip().split("\n");
        double torchLoss = Double.parseDouble(lines[lines.length - 2]);
        double[] torchGrad = Arrays.stream(lines[lines.length - 1].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();

        Backend be = EveryBackend.get(backend);
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        try (Tensor p = be.tensor(P, P.length, 1); Tensor y = be.tensor(Y, Y.length)) {
            float loss = bce.forward(p, y).item();
            float[] grad = bce.backward().toArray();
            assertEquals(torchLoss, loss, 1e-5 * Math.abs(torchLoss), backend + ": loss");
            for (int i = 0; i < P.length; i++) {
                assertEquals(torchGrad[i], grad[i], 1e-5 * Math.abs(torchGrad[i]) + 1e-6,
                        backend + ": dL/dp at p = " + P[i] + ", y = " + Y[i]);
            }
        }
    }

}
