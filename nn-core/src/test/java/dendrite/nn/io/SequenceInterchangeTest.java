package dendrite.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.layers.Embedding;
import dendrite.nn.layers.GRU;
import dendrite.nn.layers.LSTM;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.History;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's parity target: an embedding, an LSTM and a GRU that PyTorch made and saved with its
 * module names load into Dendrite and give PyTorch's outputs within 1e-5 relative; and 20 SGD steps
 * from those weights end where PyTorch's 20 steps end, within float32 rounding. PyTorch runs here
 * through {@code src/test/resources/pytorch/sequence_interchange.py} (the same layers as
 * {@link #model}).
 */
class SequenceInterchangeTest {
    private static final Path SCRIPT = Path.of("src/test/resources/pytorch/sequence_interchange.py");

    @TempDir
    Path dir;

    /** The script's {@code Net}: token ids of 9 steps, embedding (padding 0), LSTM over every step, GRU's last step, linear. */
    static Sequential model(Backend be) {
        return Sequential.builder(9)
                .add(new Embedding(13, 6, 0))
                .add(new LSTM(6, 8, true))
                .add(new GRU(8, 7, false))
                .dense(3)
                .build(be, 5);
    }

    /** The model file holds every option of the sequence layers: a model loads back as it was and predicts the same. */
    @OnEveryBackend
    void aSequenceModelSavesAndLoadsWithItsArchitecture(String backend) throws Exception {
        Backend be = EveryBackend.get(backend);
        Sequential m = Sequential.builder(6).embedding(10, 4, 0).add(new LSTM(-1, 5, true).maskZeroSteps())
                .add(new dendrite.nn.layers.Bidirectional(new GRU(-1, 3, true)))
                .add(new dendrite.nn.layers.SimpleRNN(-1, 4, false, dendrite.tensor.op.Activation.RELU)).dense(2)
                .build(be, 9);
        Path file = dir.resolve("seq.safetensors");
        ModelFile.save(m, file);
        Sequential back = ModelFile.load(file, be);
        assertEquals(m.summary(), back.summary());
        float[] x = {1, 2, 3, 0, 0, 9, 4, 4, 5, 6, 7, 8};
        org.junit.jupiter.api.Assertions.assertArrayEquals(m.predict(x, 2), back.predict(x, 2));
        org.junit.jupiter.api.Assertions.assertTrue(((LSTM) back.layer(1)).masksZeroSteps(), "mask_zero is in the file");
        assertEquals("Bidirectional(GRU(5, 3, sequences))", back.layer(2).toString());
        assertEquals(List.of("2.weight_ih_l0", "2.weight_hh_l0", "2.bias_ih_l0", "2.bias_hh_l0", "2.weight_ih_l0_reverse",
                "2.weight_hh_l0_reverse", "2.bias_ih_l0_reverse", "2.bias_hh_l0_reverse"),
                back.namedParameters().keySet().stream().filter(k -> k.startsWith("2.")).toList());
        assertEquals(List.of("0.weight", "1.weight_ih_l0", "1.weight_hh_l0", "1.bias_ih_l0", "1.bias_hh_l0"),
                back.namedParameters().keySet().stream().limit(5).toList());
    }

    @OnEveryBackend
    void pyTorchsRecurrentWeightsGiveItsOutputsAndTrainTheSame(String backend) throws Exception {
        Path weights = dir.resolve("torch.safetensors");
        Path io = dir.resolve("io.safetensors");
        dendrite.nn.PyTorch.run(List.of(SCRIPT.toString(), "from-torch", weights.toString(), io.toString()));
        Backend be = EveryBackend.get(backend);
        Sequential m = model(be);
        ModelFile.loadWeights(m, weights);
        SafeTensors.Contents xy = SafeTensors.read(io);
        float[] x = xy.tensor("x").values();
        float[] y = xy.tensor("y").values();
        PyTorchInterchangeTest.close(backend + ": outputs on PyTorch's weights", y, m.predict(x, 4), 1e-5);

        // 20 SGD steps on the whole batch, towards targets both sides get.
        float[] t = new float[y.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) Math.cos(0.7 * i);
        }
        Path data = dir.resolve("xt.safetensors");
        SafeTensors.write(data, List.of(SafeTensors.Entry.of(NamedTensor.f32("x", new int[] {4, 9}, x)),
                SafeTensors.Entry.of(NamedTensor.f32("t", new int[] {4, 3}, t))), Map.of());
        Path trained = dir.resolve("trained.safetensors");
        dendrite.nn.PyTorch.run(List.of(SCRIPT.toString(), "train", weights.toString(), data.toString(), trained.toString()));
        Trainer trainer = Trainer.builder(m).loss(Losses.mse()).optimizer(new Sgd(0.1)).epochs(20).batchSize(4)
                .shuffle(false).build();
        History h = trainer.fit(Dataset.regression("xt", x, new int[] {9}, t, 3));
        SafeTensors.Contents theirs = SafeTensors.read(trained);
        float[] losses = theirs.tensor("losses").values();
        float[] mine = new float[20];
        for (int i = 0; i < 20; i++) {
            mine[i] = (float) h.get("loss")[i];
        }
        PyTorchInterchangeTest.close(backend + ": loss per step", losses, mine, 1e-4);
        for (Map.Entry<String, dendrite.nn.layers.Parameter> p : m.namedParameters().entrySet()) {
            PyTorchInterchangeTest.close(backend + ": " + p.getKey() + " after 20 steps", theirs.tensor(p.getKey()).values(),
                    p.getValue().value().toArray(), 1e-4);
        }
    }
}
