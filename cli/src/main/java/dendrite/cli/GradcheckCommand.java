package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.diag.GradientChecker;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerRegistry;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite gradcheck <model>}: each layer's backward pass compared with finite differences of
 * its forward pass, on a small random batch: the check a learner runs on a layer of their own, and
 * proof that the engine's gradients are right. Each layer is rebuilt from its description (its math,
 * not the file's weights, is checked); layers that draw random numbers in training (dropout) are
 * checked in evaluation mode.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check every layer's gradients against finite differences, on a small random batch.")
final class GradcheckCommand implements Callable<Integer> {
    /** The largest relative error that passes: float32 central differences with a step of 1e-2. */
    static final double TOLERANCE = 1e-2;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgument modelArgument;

    Path modelFile;

    @Option(names = "--backend", paramLabel = "<name>", defaultValue = "scalar",
            description = "The backend to check on (default: scalar, the reference).")
    String backend;

    @Option(names = "--batch", paramLabel = "<n>", defaultValue = "3", description = "Samples in the random batch (default: 3).")
    int batch;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        modelFile = modelArgument.file();
        if (batch < 2 || batch > 64) {
            throw new BadInputException("--batch " + batch + ": must be from 2 (batch norm needs two) to 64");
        }
        Backend be = BackendChoice.resolve(backend);
        ModelStore.requireFile(modelFile);
        Sequential model = ModelStore.load(modelFile, be).model();
        out.printf(Locale.ROOT, "gradient check of %s on %s, batch %d, tolerance %.0e%n", modelFile, be.name(), batch,
                TOLERANCE);
        out.printf(Locale.ROOT, "%-6s %-22s %-16s %s%n", "layer", "type", "max rel. error", "result");
        int failed = 0;
        Shape in = model.inputShape();
        for (int i = 0; i < model.size(); i++) {
            Layer original = model.layer(i);
            Layer copy = LayerRegistry.create(original.type(), original.config());
            boolean training = !original.type().contains("dropout");
            Shape checked = small(copy, in);
            GradientChecker.Report r = original.type().contains("max_pool")
                    ? new GradientChecker().checkLayer(copy, be, checked, spreadApart(batch * checked.size()), training)
                    : new GradientChecker().checkLayer(copy, be, checked, batch, training);
            boolean ok = r.passed(TOLERANCE);
            failed += ok ? 0 : 1;
            out.printf(Locale.ROOT, "%-6d %-22s %-16.2e %s%n", i, original.type() + (training ? "" : " (eval)"), r.worst(),
                    (ok ? "ok" : "FAILED " + r) + (checked.equals(in) ? "" : " (on " + checked + " images)"));
            in = model.outputShape(i);
        }
        out.println(failed == 0 ? "all layers passed" : failed + " layer(s) failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /**
     * Images checked at most 8 x 8 where the layer takes that: its arithmetic is the same at any size,
     * and on large maps float32 rounding in the summed objective swamps the finite differences (a
     * batch norm over 28 x 28 maps shows errors of 2 % that are rounding, not a wrong gradient).
     */
    private static Shape small(Layer layer, Shape in) {
        if (in.rank() != 3 || (in.dim(1) <= 8 && in.dim(2) <= 8)) {
            return in;
        }
        Shape smaller = Shape.of(in.dim(0), Math.min(in.dim(1), 8), Math.min(in.dim(2), 8));
        try {
            layer.outputShape(smaller);
            return smaller;
        } catch (RuntimeException e) {                    // a kernel larger than 8: check at full size
            return in;
        }
    }

    /**
     * Inputs all distinct and 0.05 apart, in a seeded order, so that no finite difference changes
     * which input wins a max-pooling window (where the gradient jumps).
     */
    private static float[] spreadApart(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Random r = new java.util.Random(1234);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (order[i] * 0.05 - n * 0.025);
        }
        return x;
    }
}
