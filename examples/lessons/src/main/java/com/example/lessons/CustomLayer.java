package com.example.lessons;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Synthetic;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.Parameter;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * Lesson 7: a layer of one's own. {@link Swish} implements the {@link Layer} SPI, forward and
 * backward written by hand. A hand-written backward is where bugs hide, so before it is trusted the
 * {@link GradientChecker} compares it with finite differences of the forward pass. To show the check
 * has teeth, a Swish whose backward is a little wrong must fail it. Then the layer goes into a
 * {@code Sequential} like any built-in one and trains, its beta learned along with the weights.
 */
public final class CustomLayer {
    /**
     * Worst relative error accepted. Finite differences in float32 are not exact, so a right backward
     * does not score 0; but it stays well inside this, and a backward a few percent off does not.
     */
    private static final double TOLERANCE = 1e-3;

    private CustomLayer() {
    }

    public static void main(String[] args) {
        Backend backend = Backends.get();
        GradientChecker checker = new GradientChecker();

        GradientChecker.Report right = checker.checkLayer(new Swish(1.5), backend, Shape.of(6), 8, true);
        System.out.println("Swish:                   " + right + "  (worst " + fmt(right.worst()) + ")");
        Claim.check(right.passed(TOLERANCE), "Swish's backward disagrees with its forward: " + right);

        GradientChecker.Report wrong = checker.checkLayer(new OffByTenPercent(new Swish(1.5)), backend, Shape.of(6), 8, true);
        System.out.println("Swish, backward 10% off: " + wrong + "  (worst " + fmt(wrong.worst()) + ")");
        Claim.check(!wrong.passed(TOLERANCE), "the gradient check did not catch a backward pass 10 % off");

        // Into a model like any other layer; each Swish learns its own beta.
        Swish first = new Swish(1.0);
        Swish second = new Swish(1.0);
        Sequential model = Sequential.builder(2).dense(16).add(first).dense(16).add(second).dense(2).build(backend, 2);
        Dataset moons = Synthetic.twoMoons(500, 0.1, 2);
        Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2))
                .epochs(30).batchSize(32).seed(2).build();
        trainer.fit(moons);
        double accuracy = trainer.evaluate(moons).accuracy();
        System.out.println("trained on two moons: " + model);
        System.out.printf(Locale.ROOT, "  accuracy %.3f; the two betas learned %.3f and %.3f (from 1)%n",
                accuracy, first.beta(), second.beta());
        Claim.check(accuracy >= 0.95, String.format(Locale.ROOT, "the model with Swish layers reached only %.3f", accuracy));
        // A beta still at 1 would mean its gradient never reached the optimizer.
        Claim.check(Math.abs(first.beta() - 1) > 1e-3 && Math.abs(second.beta() - 1) > 1e-3,
                "a Swish layer's beta did not change in training");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    /**
     * A stand-in for a slip in a hand-written backward: the layer's own gradients, all made 10 % too
     * large. Everything else is the wrapped layer's.
     */
    private static final class OffByTenPercent implements Layer {
        private final Layer layer;
        private Backend be;

        OffByTenPercent(Layer layer) {
            this.layer = layer;
        }

        @Override
        public String type() {
            return layer.type();
        }

        @Override
        public Shape outputShape(Shape inputShape) {
            return layer.outputShape(inputShape);
        }

        @Override
        public void build(Backend backend, Shape inputShape, long seed) {
            be = backend;
            layer.build(backend, inputShape, seed);
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return layer.forward(x, training);
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor dX = layer.backward(dOut);
            be.affine(dX, 1.1f, 0f, dX);
            for (Parameter p : layer.parameters()) {
                be.affine(p.grad(), 1.1f, 0f, p.grad());
            }
            return dX;
        }

        @Override
        public List<Parameter> parameters() {
            return layer.parameters();
        }
    }
}
