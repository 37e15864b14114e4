package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Sgd;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lesson 1: one neuron, {@code p = sigmoid(w . x + b)}, learns AND. First by hand in plain Java (the
 * forward pass, the loss, the gradient by the chain rule, a gradient-descent step), then as a
 * Dendrite model, {@code Sequential.builder(2).dense(1).sigmoid()}: its gradient for the same weights
 * on the same batch must be the one worked out by hand, and trained the same way it must end at the
 * same weights. Nothing more happens inside a framework, only faster and for many neurons.
 */
public final class OneNeuron {
    /** AND of two inputs: linearly separable, so one neuron can learn it. */
    private static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[] Y = {0, 0, 0, 1};
    private static final double[] START = {0.3, -0.1, 0.0};   // w1, w2, b: any small values will do
    private static final double LEARNING_RATE = 1.0;
    private static final int EPOCHS = 1000;

    private OneNeuron() {
    }

    /** The neuron written out: two weights and a bias, in double precision. */
    static final class Neuron {
        double w1;
        double w2;
        double b;

        Neuron(double[] wb) {
            w1 = wb[0];
            w2 = wb[1];
            b = wb[2];
        }

        /** Forward: the weighted sum z, squashed by the sigmoid into a probability p. */
        double forward(double[] x) {
            double z = w1 * x[0] + w2 * x[1] + b;
            return 1 / (1 + Math.exp(-z));
        }

        /** Binary cross-entropy, averaged over the batch: -mean[y ln p + (1 - y) ln(1 - p)]. */
        double loss(double[][] xs, double[] ys) {
            double sum = 0;
            for (int i = 0; i < xs.length; i++) {
                double p = forward(xs[i]);
                sum += ys[i] * Math.log(p) + (1 - ys[i]) * Math.log(1 - p);
            }
            return -sum / xs.length;
        }

        /**
         * dL/dw1, dL/dw2, dL/db by the chain rule. Per sample, dL/dp = (p - y) / (p (1 - p)) and
         * dp/dz = p (1 - p), so dL/dz = p - y: the sigmoid's slope cancels. Then dz/dw = x and
         * dz/db = 1. The batch loss is a mean, so each sample counts 1/N.
         */
        double[] gradient(double[][] xs, double[] ys) {
            double[] g = new double[3];
            for (int i = 0; i < xs.length; i++) {
                double dz = (forward(xs[i]) - ys[i]) / xs.length;
                g[0] += dz * xs[i][0];
                g[1] += dz * xs[i][1];
                g[2] += dz;
            }
            return g;
        }

        /** Stochastic gradient descent: a small step against the gradient. */
        void step(double[] g, double learningRate) {
            w1 -= learningRate * g[0];
            w2 -= learningRate * g[1];
            b -= learningRate * g[2];
        }
    }

    public static void main(String[] args) {
        System.out.println("By hand: one neuron learns AND with full-batch gradient descent");
        Neuron neuron = new Neuron(START);
        double firstLoss = neuron.loss(X, Y);
        for (int epoch = 0; epoch <= EPOCHS; epoch++) {
            if (epoch % 200 == 0) {
                System.out.printf(Locale.ROOT, "  epoch %4d  loss %.4f%n", epoch, neuron.loss(X, Y));
            }
            if (epoch < EPOCHS) {
                neuron.step(neuron.gradient(X, Y), LEARNING_RATE);
            }
        }
        double lastLoss = neuron.loss(X, Y);
        System.out.printf(Locale.ROOT, "  learned w = (%.3f, %.3f), b = %.3f; outputs", neuron.w1, neuron.w2, neuron.b);
        for (double[] x : X) {
            System.out.printf(Locale.ROOT, " %.3f", neuron.forward(x));
        }
        System.out.println();
        for (int i = 0; i < X.length; i++) {
            Claim.check((neuron.forward(X[i]) > 0.5) == (Y[i] == 1), "the hand-trained neuron gets AND" + List.of(
                    (int) X[i][0], (int) X[i][1]) + " wrong");
        }
        Claim.check(lastLoss < firstLoss / 5, "the hand-written gradient descent did not drive the loss down");

        // The same neuron in Dendrite: a Dense layer with one unit, then a sigmoid.
        Backend backend = Backends.get();
        Sequential model = Sequential.builder(2).dense(1).sigmoid().build(backend, 1);
        setWeights(model, START);
        float[] dendrite = dendriteGradient(model, Losses.binaryCrossEntropy());
        double[] byHand = new Neuron(START).gradient(X, Y);
        System.out.println("Dendrite's gradient for the same weights and batch (" + backend.name() + " backend):");
        String[] names = {"dL/dw1", "dL/dw2", "dL/db "};
        double worst = 0;
        for (int k = 0; k < 3; k++) {
            System.out.printf(Locale.ROOT, "  %s  by hand %+.7f  Dendrite %+.7f%n", names[k], byHand[k], dendrite[k]);
            worst = Math.max(worst, Math.abs(byHand[k] - dendrite[k]));
        }
        Claim.check(worst <= 1e-5, String.format(Locale.ROOT,
                "Dendrite's gradient differs from the hand-derived one by %.2e (more than 1e-5)", worst));

        // Trained the same way (same start, whole batch, in order, plain SGD), it ends where we did.
        Trainer.builder(model).loss(Losses.binaryCrossEntropy()).optimizer(new Sgd(LEARNING_RATE))
                .epochs(EPOCHS).batchSize(X.length).shuffle(false).build().fit(andDataset());
        float[] w = model.namedParameters().get("0.weight").value().toArray();
        float b = model.namedParameters().get("0.bias").value().item();
        double apart = Math.max(Math.abs(w[0] - neuron.w1), Math.max(Math.abs(w[1] - neuron.w2), Math.abs(b - neuron.b)));
        System.out.printf(Locale.ROOT, "Dendrite, trained the same way: w = (%.3f, %.3f), b = %.3f (%.1e from ours)%n",
                w[0], w[1], b, apart);
        // float32 against double over many steps: close, not bit-equal.
        Claim.check(apart <= 1e-3, String.format(Locale.ROOT,
                "Dendrite's trained weights are %.2e away from the hand-trained ones", apart));
    }

    /** Loads w1, w2, b into the Dense layer, by the names its state dict gives them. */
    private static void setWeights(Sequential model, double[] wb) {
        model.loadStateDict(Map.of(
                "0.weight", new float[] {(float) wb[0], (float) wb[1]},
                "0.bias", new float[] {(float) wb[2]}));
    }

    /** One forward and backward pass on the whole batch; returns dL/dw1, dL/dw2, dL/db as Dendrite computed them. */
    private static float[] dendriteGradient(Sequential model, Loss loss) {
        Backend be = model.backend();
        try (Tensor x = be.tensor(flatten(X), X.length, 2); Tensor y = be.tensor(toFloats(Y), Y.length, 1)) {
            loss.forward(model.forward(x, true), y);
            model.backward(loss.backward());
        }
        float[] dw = model.namedParameters().get("0.weight").grad().toArray();
        float db = model.namedParameters().get("0.bias").grad().item();
        return new float[] {dw[0], dw[1], db};
    }

    private static Dataset andDataset() {
        int[] labels = new int[Y.length];
        for (int i = 0; i < Y.length; i++) {
            labels[i] = (int) Y[i];
        }
        return Dataset.classification("and", flatten(X), new int[] {2}, labels, 2, List.of("false", "true"));
    }

    private static float[] flatten(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                out[i * rows[i].length + j] = (float) rows[i][j];
            }
        }
        return out;
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
