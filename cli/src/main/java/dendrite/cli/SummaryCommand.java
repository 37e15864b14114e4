package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dendrite summary <model>}: the layers of a model file, their shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Show a model file's layers, output shapes and parameter counts, and how it was trained.")
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgument modelArgument;

    Path modelFile;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        modelFile = modelArgument.file();
        ModelStore.requireFile(modelFile);
        // Only the shapes matter here: the reference backend loads fastest and always runs.
        Backend be = Backends.names().contains("scalar") ? Backends.get("scalar") : Backends.get();
        ModelStore.Loaded loaded = ModelStore.load(modelFile, be);
        Sequential model = loaded.model();
        ModelInfo info = loaded.info();
        out.println("model: " + modelFile);
        out.print(model.summary().replaceFirst("^Sequential on \\S+, ", "Sequential, "));
        out.printf(Locale.ROOT, "task: %s", info.task());
        if (info.classification()) {
            out.printf(Locale.ROOT, ", %d classes%s", model.outputShape().size(),
                    info.classNames().isEmpty() ? "" : ": " + String.join(", ", info.classNames().stream().map(PredictCommand::csv).toList()));
        }
        out.println();
        if (info.dataset() != null) {
            out.printf(Locale.ROOT, "trained on: %s (seed %d, validation %s, test %s)%n", info.dataset(), info.seed(),
                    TrainCommand.plain(info.validationFraction()), TrainCommand.plain(info.testFraction()));
        }
        out.println("input scaling: " + (info.scaler() == null ? "none" : info.scaler().kind().name().toLowerCase(Locale.ROOT)
                .replace('_', '-') + " (" + info.scaler().features() + " features)"));
        if (info.window() != null && info.horizon() == null) {
            out.printf(Locale.ROOT, "text: windows of %d characters, predicting the next%n", info.window());
        }
        if (info.horizon() != null) {
            out.printf(Locale.ROOT, "series: windows of %d steps, forecasting %d step%s ahead%n", info.window(), info.horizon(),
                    info.horizon() == 1 ? "" : "s");
        }
        if (!info.classification()) {
            out.println("target scaling: " + (info.targetScaler() == null ? "none (outputs are in the target's units)"
                    : "standard (" + info.targetScaler().features() + " target(s); predictions are returned in the target's units)"));
        }
        out.flush();
        return 0;
    }
}
