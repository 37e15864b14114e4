package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.onnx.OnnxImport;
import dendrite.onnx.OnnxImportException;
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

    @Mixin
    Verbosity verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
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
        ModelFile.save(model, target);
        stdout.printf(Locale.ROOT, "imported %s: %d layers, %,d parameters, input %s, output %s%n", onnx, model.size(),
                model.parameterCount(), Arrays.toString(model.inputShape().dims()),
                Arrays.toString(model.outputShape().dims()));
        stdout.println("wrote " + target);
        stdout.flush();
        return 0;
    }

    /** {@code model.onnx} to {@code model.safetensors} in the same folder. */
    static Path defaultOut(Path onnx) {
        String name = onnx.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return onnx.resolveSibling(stem + ".safetensors");
    }
}
