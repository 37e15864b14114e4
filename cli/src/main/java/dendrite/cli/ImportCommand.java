package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.Scaler;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.Preprocessing;
import dendrite.onnx.OnnxImport;
import dendrite.onnx.OnnxImportException;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite import <model.onnx> --out <model.safetensors>}: an ONNX model (as
 * {@code torch.onnx.export} writes it) as a Dendrite model file, which {@code summary}, {@code eval}
 * and {@code predict} then take. What can be imported: see {@link OnnxImport}.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert an ONNX model (from torch.onnx.export; common layers, in a chain or in residual or "
                + "concatenated branches) into a "
                + "Dendrite model file.")
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<model.onnx>", description = "The ONNX file to read.")
    Path onnx;

    @Option(names = "--out", paramLabel = "<file>",
            description = "The model file to write (default: the ONNX file's name with .safetensors, beside it).")
    Path out;

    @Option(names = {"-f", "--force"}, description = "Overwrite the --out file if it exists.")
    boolean force;

    @Option(names = "--classes", paramLabel = "<file|names>",
            description = "The classes' names in output order, stored for predict: a text file of one name a line, "
                    + "or the names separated by commas (e.g. cat,dog,bird).")
    String classes;

    @Option(names = "--normalize", paramLabel = "<means>:<stds>",
            description = "What the model expects done to its inputs first, stored for predict and eval: "
                    + "(x - mean) / std, one value each or one per channel, e.g. torchvision's "
                    + "0.485,0.456,0.406:0.229,0.224,0.225 (pictures are read as values in [0, 1]).")
    String normalize;

    @Option(names = "--regression",
            description = "The outputs are values, not class scores: predict prints them as they are.")
    boolean regression;

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (regression && classes != null) {
            throw new BadInputException("--classes and --regression: a regression's outputs have no class names");
        }
        Path target = out != null ? out : defaultOut(onnx);
        if (Files.exists(target) && !force) {
            throw new BadInputException(target + " already exists: pass --force to overwrite it, or --out <file>");
        }
        Sequential model;
        try {
            // Only the weights are copied: the reference backend always runs and loads fastest.
            model = OnnxImport.load(onnx, Backends.names().contains("scalar") ? Backends.get("scalar") : Backends.get());
        } catch (OnnxImportException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Scaler scaler = normalize == null ? null : normalization(normalize, model.inputShape().dims());
        List<String> names = classes == null ? List.of() : classNames(classes, model.outputShape().size());
        if (regression) {
            ModelFile.save(model, target, Preprocessing.forRegression(scaler, null), Map.of("cli.task", "regression"));
        } else {
            ModelFile.save(model, target, Preprocessing.of(scaler, names));
        }
        stdout.printf(Locale.ROOT, "imported %s: %d layers, %,d parameters, input %s, output %s%n", onnx, model.size(),
                model.parameterCount(), Arrays.toString(model.inputShape().dims()),
                Arrays.toString(model.outputShape().dims()));
        if (!names.isEmpty()) {
            stdout.println("classes: " + String.join(", ", names));
        }
        if (scaler != null) {
            stdout.println("inputs normalized: (x - mean) / std, mean " + normalize.substring(0, normalize.indexOf(':'))
                    + ", std " + normalize.substring(normalize.indexOf(':') + 1));
        }
        stdout.println("wrote " + target);
        stdout.flush();
        return 0;
    }

    /**
     * {@code --normalize}'s {@code means:stds} as a scaler of the model's input: one value each for every
     * feature, or one per channel (the input's first dimension) repeated over the channel's values.
     */
    static Scaler normalization(String text, int[] inputDims) {
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new BadInputException("--normalize: '" + text + "' is not <means>:<stds>, e.g. 0.5:0.25 or "
                    + "0.485,0.456,0.406:0.229,0.224,0.225");
        }
        float[] means = numbers(text.substring(0, colon), "mean");
        float[] stds = numbers(text.substring(colon + 1), "std");
        int features = 1;
        for (int d : inputDims) {
            features *= d;
        }
        int channels = inputDims.length > 1 ? inputDims[0] : 1;
        if (means.length != stds.length || (means.length != 1 && means.length != channels)) {
            throw new BadInputException("--normalize: " + means.length + " means and " + stds.length + " stds; the"
                    + " model's input " + Arrays.toString(inputDims) + " takes one of each"
                    + (channels > 1 ? " or " + channels + " (one per channel)" : ""));
        }
        float[] offset = new float[features];
        float[] scale = new float[features];
        int perChannel = features / (means.length == 1 ? 1 : channels);
        for (int j = 0; j < features; j++) {
            int c = means.length == 1 ? 0 : j / perChannel;
            if (!(stds[c] > 0) || Float.isInfinite(stds[c])) {
                throw new BadInputException("--normalize: std " + stds[c] + " must be positive and finite");
            }
            offset[j] = means[c];
            scale[j] = 1f / stds[c];
        }
        return Scaler.of(Scaler.Kind.STANDARD, offset, scale);
    }

    private static float[] numbers(String list, String what) {
        String[] parts = list.split(",", -1);
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--normalize: " + what + " '" + parts[i] + "' is not a number");
            }
            if (!Float.isFinite(v[i])) {
                throw new BadInputException("--normalize: " + what + " '" + parts[i] + "' is not a finite number");
            }
        }
        return v;
    }

    /** {@code --classes}: the lines of a file (blank ones skipped), or comma-separated names; one per output. */
    static List<String> classNames(String text, int outputs) throws IOException {
        Path file = Path.of(text);
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } else {
            for (String name : text.split(",", -1)) {
                names.add(name.strip());
            }
        }
        if (names.size() != outputs) {
            throw new BadInputException("--classes: " + names.size() + " names for " + outputs + " outputs"
                    + (Files.isRegularFile(file) ? " (" + file + ", one name a line)" : ""));
        }
        return names;
    }

    /** {@code model.onnx} to {@code model.safetensors} in the same folder. */
    static Path defaultOut(Path onnx) {
        String name = onnx.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return onnx.resolveSibling(stem + ".safetensors");
    }
}
