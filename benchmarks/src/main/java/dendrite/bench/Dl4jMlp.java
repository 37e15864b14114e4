package dendrite.bench;

import dendrite.nn.data.Dataset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link Mlp} in Deeplearning4j 1.0.0-M2.1 on ND4J's CPU backend (nd4j-native, OpenBLAS and OpenMP
 * inside its jars): 784-256-128-10 with ReLU, float32, softmax cross-entropy (DL4J's output layer
 * applies the softmax itself, the one extra step its predictions take) and Adam at 1e-3. Its
 * threads follow {@code -Ddendrite.threads}, as Dendrite's do: ND4J's own pools and its BLAS.
 */
final class Dl4jMlp {
    private Dl4jMlp() {
    }

    /** Sets ND4J's thread counts and builds the network, initialized from {@link Mlp#SEED}. */
    static MultiLayerNetwork build() {
        int threads = Integer.getInteger("dendrite.threads", Runtime.getRuntime().availableProcessors());
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(Mlp.SEED)
                .dataType(DataType.FLOAT)
                .updater(new Adam(Mlp.LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new DenseLayer.Builder().nIn(Mlp.INPUTS).nOut(Mlp.HIDDEN1).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(Mlp.HIDDEN1).nOut(Mlp.HIDDEN2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(Mlp.HIDDEN2).nOut(Mlp.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        System.out.println("dl4j: " + Nd4j.getBackend().getClass().getSimpleName() + ", " + threads + " threads, BLAS "
                + Nd4j.factory().blas().getBlasVendor());
        return net;
    }

    /** The data's features as one [n, 784] array, and its labels one-hot as [n, 10]. */
    static INDArray[] arrays(Dataset data) {
        int n = data.size();
        INDArray x = Nd4j.create(data.features(), new long[] {n, Mlp.INPUTS}, DataType.FLOAT);
        float[] oneHot = new float[n * Mlp.CLASSES];
        float[] labels = data.targets();
        for (int i = 0; i < n; i++) {
            oneHot[i * Mlp.CLASSES + (int) labels[i]] = 1f;
        }
        INDArray y = Nd4j.create(oneHot, new long[] {n, Mlp.CLASSES}, DataType.FLOAT);
        return new INDArray[] {x, y};
    }
}
