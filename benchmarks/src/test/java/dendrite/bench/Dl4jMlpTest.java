package dendrite.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.data.Dataset;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The Deeplearning4j peer loads its native backend here, is the benchmarks' MLP, and learns. */
class Dl4jMlpTest {
    @Test
    void theDl4jPeerIsTheMlpAndItsStepsDriveTheLossDown() {
        Dataset data = TrainingData.synthetic(Mlp.BATCH, 3);
        MultiLayerNetwork net = Dl4jMlp.build();
        assertTrue(net.numParams() == 784L * 256 + 256 + 256L * 128 + 128 + 128L * 10 + 10, "parameters: " + net.numParams());
        INDArray[] xy = Dl4jMlp.arrays(data);
        assertArrayEquals(new long[] {Mlp.BATCH, Mlp.CLASSES}, net.output(xy[0]).shape());
        int[] rows = new int[Mlp.BATCH];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        DataSet batch = new DataSet(Nd4j.pullRows(xy[0], 1, rows), Nd4j.pullRows(xy[1], 1, rows));
        net.fit(batch);
        double first = net.score();
        for (int s = 0; s < 20; s++) {
            net.fit(batch);
        }
        double later = net.score();
        assertTrue(Double.isFinite(first) && later < first * 0.9, "loss " + first + " -> " + later);
    }
}
