package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.onnx.OnnxExport;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite export <model.safetensors> --out <model.onnx>}: a model file as an ONNX model, with
 * the input scaling it was trained with, to serve it with ONNX Runtime or another ONNX runtime. What can
 * be exported: see {@link OnnxExport}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a model file as an ONNX model (opset " + OnnxExport.OPSET + "), for ONNX Runtime and other "
                + "runtimes: it takes the same raw features as predict (the stored scaling is inside) and gives the "
                + "model's outputs.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgument modelArgument;

    @Option(names = "--out", paramLabel = "<file.onnx>",
            description = "The ONNX file to write (default: the model file's name with .onnx, beside it).")
    Path out;

    @Option(names = {"-f", "--force"}, description = "Overwrite the --out file if it exists.")
    boolean force;

    @Option(names = "--no-scaling",
            description = "Leave the stored input and target scaling out: the ONNX model then takes features already "
                    + "scaled and gives outputs in the scaled units.")
    boolean noScaling;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Path file = modelArgument.file();
        Path target = out != null ? out : defaultOut(file);
        if (Files.exists(target) && !force) {
            throw new BadInputException(target + " already exists: pass --force to overwrite it, or --out <file>");
        }
        // Only the weights are read: the reference backend always runs and loads fastest.
        ModelStore.Loaded loaded = ModelStore.load(file, Backends.names().contains("scalar")
                ? Backends.get("scalar") : Backends.get());
        Sequential model = loaded.model();
        Preprocessing stored = loaded.info().preprocessing();
        Preprocessing used = noScaling ? Preprocessing.of(null, stored.classNames()) : stored;
        try {
            OnnxExport.save(new SavedModel(model, used), target);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        stdout.printf(Locale.ROOT, "exported %s: %d layers, %,d parameters, input 'input' [batch, %s], output 'output'"
                + " [batch, %s]%n", file, model.size(), model.parameterCount(), dims(model.inputShape().dims()),
                dims(model.outputShape().dims()));
        stdout.println("scaling: " + scaling(stored, used));
        if (!used.classNames().isEmpty()) {
            stdout.println("class names: in the metadata, '" + OnnxExport.CLASS_NAMES_KEY + "'");
        }
        stdout.println("wrote " + target);
        stdout.flush();
        return 0;
    }

    private static String scaling(Preprocessing stored, Preprocessing used) {
        if (stored.inputScaler() == null && stored.targetScaler() == null) {
            return "none stored (the ONNX model takes the features as the model does)";
        }
        if (used.inputScaler() == null && used.targetScaler() == null) {
            return "left out (--no-scaling): scale the features as in training before the ONNX model";
        }
        return (used.inputScaler() != null ? "the input scaler's (x - offset) * scale is the first step" : "")
                + (used.inputScaler() != null && used.targetScaler() != null ? "; " : "")
                + (used.targetScaler() != null ? "outputs are returned in the target's units" : "");
    }

    private static String dims(int[] dims) {
        String s = Arrays.toString(dims);
        return s.substring(1, s.length() - 1);
    }

    /** {@code model.safetensors} becomes {@code model.onnx}, beside it. */
    static Path defaultOut(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".onnx");
    }
}
