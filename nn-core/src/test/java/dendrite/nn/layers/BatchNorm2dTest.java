package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.OnEveryBackend;
import dendrite.tensor.Backend;
import dendrite.nn.EveryBackend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * BatchNorm2d against its definition, computed here in double precision: per channel over the
 * batch and every pixel, the batch's statistics in training (running statistics moved towards the
 * mean and the unbiased variance), the running ones in evaluation. The gradient checks
 * (LayerGradientTest) prove backward against this forward.
 */
class BatchNorm2dTest {
    private static final int M = 3, C = 5, H = 4, W = 7;

    @OnEveryBackend
    void trainingAndEvaluationFollowTheDefinition(String backend) {
        Backend be = EveryBackend.get(backend);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[M * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble(-2, 2) + (i / (H * W)) % C);   // each channel its own offset
        }
        BatchNorm2d bn = new BatchNorm2d(1e-5, 0.1);
        bn.build(be, Shape.of(C, H, W), 1);
        float[] gamma = {1.5f, -0.5f, 2f, 1f, 0.25f};
        float[] beta = {0.1f, 0.2f, -0.3f, 0f, 1f};
        be.write(bn.parameters().get(0).value(), gamma, 0);
        be.write(bn.parameters().get(1).value(), beta, 0);

        int n = M * H * W;
        double[] mean = new double[C], var = new double[C];
        for (int i = 0; i < x.length; i++) {
            mean[(i / (H * W)) % C] += x[i] / (double) n;
        }
        for (int i = 0; i < x.length; i++) {
            int c = (i / (H * W)) % C;
            var[c] += (x[i] - mean[c]) * (x[i] - mean[c]) / n;
        }
        Tensor input = be.tensor(x, M, C, H, W);
        float[] y = bn.forward(input, true).toArray();
        for (int i = 0; i < x.length; i++) {
            int c = (i / (H * W)) % C;
            double want = gamma[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + 1e-5) + beta[c];
            assertEquals(want, y[i], 2e-5 * Math.max(1, Math.abs(want)), backend + " training output " + i);
        }
        float[] runningMean = bn.buffers().get("running_mean").toArray();
        float[] runningVar = bn.buffers().get("running_var").toArray();
        for (int c = 0; c < C; c++) {
            assertEquals(0.1 * mean[c], runningMean[c], 1e-6, backend + " running mean " + c);
            assertEquals(0.9 + 0.1 * var[c] * n / (n - 1), runningVar[c], 1e-5, backend + " running variance " + c);
        }
        float[] e = bn.forward(input, false).toArray();
        for (int i = 0; i < x.length; i++) {
            int c = (i / (H * W)) % C;
            double want = gamma[c] * (x[i] - runningMean[c]) / Math.sqrt(runningVar[c] + 1e-5) + beta[c];
            assertEquals(want, e[i], 2e-5 * Math.max(1, Math.abs(want)), backend + " evaluation output " + i);
        }
    }
}
