package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.Locale;

/**
 * Lesson 2: why a hidden layer. XOR's four points cannot be split by one straight line, so a model
 * without a hidden layer (a linear classifier) gets at most three of the four right, however long it
 * trains; its best cross-entropy is ln 2, the loss of answering one half for every point. Eight tanh
 * units in between bend the space until a line does split it, and all four come out right.
 */
public final class Xor {
    private static final int EPOCHS = 500;

    private Xor() {
    }

    public static void main(String[] args) {
        Backend backend = Backends.get();
        Dataset xor = Synthetic.xor();                       // (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0

        Sequential linear = Sequential.builder(2).dense(2).build(backend, 7);
        Evaluation lin = train(linear, xor);
        System.out.printf(Locale.ROOT, "no hidden layer   2-2:   accuracy %.2f, loss %.4f (ln 2 = %.4f: about one half"
                + " for every point, ties broken by rounding)%n", lin.accuracy(), lin.loss(), Math.log(2));

        Sequential hidden = Sequential.builder(2).dense(8).tanh().dense(2).build(backend, 7);
        Evaluation hid = train(hidden, xor);
        System.out.printf(Locale.ROOT, "one hidden layer  2-8-2: accuracy %.2f, loss %.4f%n", hid.accuracy(), hid.loss());
        float[] p = hidden.predictProba(xor.features(), xor.size());
        for (int i = 0; i < xor.size(); i++) {
            float[] f = xor.features();
            System.out.printf(Locale.ROOT, "  xor(%.0f, %.0f) = %d   P(1) = %.3f%n", f[2 * i], f[2 * i + 1], xor.label(i),
                    p[2 * i + 1]);
        }

        Claim.check(lin.accuracy() <= 0.75, "a linear model classified all four XOR points, which no line can do");
        Claim.check(lin.loss() >= Math.log(2) - 1e-3, "a linear model beat ln 2 on XOR, its best possible loss");
        Claim.check(hid.accuracy() == 1.0, "the 2-8-2 network did not learn XOR (accuracy " + hid.accuracy() + ")");
        Claim.check(hid.loss() < 0.1, "the 2-8-2 network's loss stayed at " + hid.loss());
    }

    /** Trains on the four points (the whole set is one batch) and scores on them. */
    private static Evaluation train(Sequential model, Dataset data) {
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.05))
                .epochs(EPOCHS).batchSize(data.size()).seed(1).build();
        trainer.fit(data);
        return trainer.evaluate(data);
    }
}
