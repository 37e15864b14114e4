package dendrite.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.ImageAugmentation;
import dendrite.nn.layers.Layer;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a model trained with augmentation sees: each batch moved as the seed says, evaluation unmoved. */
class AugmentedTrainingTest {
    private static final int C = 2, H = 5, W = 6, N = 10, BATCH = 4;
    private final Backend be = TestBackend.get();
    private final ImageAugmentation cropAndFlip = ImageAugmentation.none().randomCrop(2).horizontalFlip();

    /** Ten 2x5x6 images whose pixels are all different, labels 0 and 1 in turn. */
    private static Dataset images() {
        float[] pixels = new float[N * C * H * W];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 1 + i;
        }
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 2;
        }
        return Dataset.classification("pixels", pixels, new int[] {C, H, W}, labels, 2, null);
    }

    @Test
    void eachTrainingBatchIsTheGatheredBatchMovedAndEvaluationSeesItUnmoved() {
        Recorder recorder = new Recorder();
        Sequential model = Sequential.builder(C, H, W).add(recorder).flatten().dense(2).build(be, 1);
        Dataset data = images();
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-3))
                .epochs(2).batchSize(BATCH).shuffle(false).seed(9).augmentation(cropAndFlip).build();
        trainer.fit(data);

        assertEquals(6, recorder.training.size(), "2 epochs of batches of 4, 4 and 2");
        int step = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int b = 0, from = 0; from < N; b++, from += BATCH) {
                int m = Math.min(BATCH, N - from);
                int[] moves = new int[3 * m];
                cropAndFlip.draw(9, epoch, b, m, moves);
                assertArrayEquals(moved(data.features(), from, m, moves), recorder.training.get(step++),
                        "epoch " + epoch + " batch " + b);
            }
        }
        trainer.evaluate(data);
        float[] seen = new float[N * C * H * W];
        int at = 0;
        for (float[] batch : recorder.inference) {
            System.arraycopy(batch, 0, seen, at, batch.length);
            at += batch.length;
        }
        assertArrayEquals(data.features(), seen, "evaluation sees the images as they are");
    }

    /** The definition, on the host: out[i, c, h, w] = x[i, c, h + dy, (flip ? W-1-w : w) + dx], 0 outside. */
    private static float[] moved(float[] all, int from, int m, int[] moves) {
        float[] out = new float[m * C * H * W];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < C; c++) {
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        int sh = h + moves[3 * i];
                        int sw = (moves[3 * i + 2] == 1 ? W - 1 - w : w) + moves[3 * i + 1];
                        if (sh >= 0 && sh < H && sw >= 0 && sw < W) {
                            out[((i * C + c) * H + h) * W + w] = all[(((from + i) * C + c) * H + sh) * W + sw];
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aModelOfFlatFeaturesIsRefusedWhenTheTrainerIsBuilt() {
        Sequential mlp = Sequential.builder(4).dense(2).build(be, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(mlp).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-3))
                        .augmentation(cropAndFlip).build());
        assertTrue(e.getMessage().startsWith("augmentation (crop 2, flip): moves images"), e.getMessage());
    }

    @Test
    void augmentedStepsAllocateNoTensorsAfterTheFirstEpoch() {
        Sequential model = Sequential.builder(C, H, W).conv2d(3, 3).batchNorm2d().relu().flatten().dense(2).build(be, 1);
        int[] allocated = {-1};
        Scope[] scope = new Scope[1];
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2))
                .epochs(2).batchSize(BATCH).augmentation(cropAndFlip)
                .listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent s) {
                        if (s.epoch() == 0 && s.batch() == s.batches() - 1) {
                            scope[0] = Scope.open();
                        }
                    }

                    @Override
                    public void onEpochEnd(EpochEvent e) {
                        if (e.epoch() == 1) {
                            allocated[0] = scope[0].size();
                            scope[0].close();
                        }
                    }
                }).build().fit(images());
        assertEquals(0, allocated[0], "tensors allocated by augmented steady steps");
    }

    /** Passes its input on and keeps a copy of it, by mode. */
    private static final class Recorder implements Layer {
        final List<float[]> training = new ArrayList<>();
        final List<float[]> inference = new ArrayList<>();

        @Override
        public String type() {
            return "test_recorder";
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public void build(Backend backend, Shape in, long seed) {
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            (training ? this.training : inference).add(x.toArray());
            return x;
        }

        @Override
        public Tensor backward(Tensor d) {
            return d;
        }
    }
}
