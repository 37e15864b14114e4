package dendrite.cli;

import dendrite.nn.Predictor;
import dendrite.nn.Sequential;
import dendrite.nn.data.CsvReader;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.ImageFolder;
import dendrite.tensor.Backend;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite predict}: a saved model on the rows of a CSV file (with a header), writing one
 * prediction per row: the class and each class's probability, or the regression values. The
 * training label or target column, if the file has it, is ignored, as are {@code --drop} columns.
 *
 * <p>A model whose inputs are pictures ({@code [channels, height, width]} with 1 or 3 channels) also
 * predicts for image files: {@code --input} names one picture or a folder, searched through its
 * subfolders, and each picture is read as training read an image folder's (resized to the model's
 * size, grayscale for one channel); each output row starts with the file's path.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict with a saved model for each row of a CSV file, or for image files; write the predictions as CSV.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "<file>", description = "A model file written by train.")
    Path modelFile;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "<csv|image|folder>",
            description = "Rows to predict: a CSV file with a header row, numeric feature columns; for a model of"
                    + " images also a picture (PNG, JPEG, BMP, GIF) or a folder of them (subfolders included).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "<csv>", description = "Where to write the predictions (default: stdout).")
    Path output;

    @Option(names = {"-f", "--force"}, description = "Overwrite the --output file if it exists.")
    boolean force;

    @Option(names = "--drop", split = ",", paramLabel = "<column>",
            description = "Columns of the input that are not features (the training label column is dropped anyway).")
    List<String> drop = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "<name>", description = "scalar, vector or opencl (default: the best available).")
    String backend;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Mixin
    CsvDelimiter csv;

    @Override
    public Integer call() throws IOException {
        if (output != null) {
            OutputFolder.checkWritable(output, force);
        }
        boolean pictures = Files.isDirectory(input) || ImageFolder.isImageFile(input);
        if (!pictures && !Files.isRegularFile(input)) {
            throw new BadInputException(Files.exists(input) ? input + " is not a file" : "no such file: " + input);
        }
        Backend be = BackendChoice.resolve(backend);
        ModelStore.Loaded loaded = ModelStore.load(modelFile, be);
        Sequential model = loaded.model();
        ModelInfo info = loaded.info();

        if (info.horizon() != null) {
            return forecast(model.predictor(), info);
        }
        List<String> rowNames = null;
        float[] features;
        int n;
        if (pictures) {
            PictureInput images = PictureInput.read(input, model.inputShape().dims(), modelFile);
            rowNames = images.names();
            features = images.features();
            n = rowNames.size();
        } else {
            Dataset raw = readFeatures(info);
            ModelFit.check(modelFile, model, info, raw, false);
            features = raw.features();
            n = raw.size();
        }
        if (info.scaler() != null) {
            features = info.scaler().transform(features);
        }
        // The weights packed once for the whole file rather than once per batch: the same values.
        Predictor predictor = model.predictor();

        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            write(out, predictor, info, features, n, rowNames);
            out.flush();
        } else {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                write(w, predictor, info, features, n, rowNames);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d predictions to %s%n", n, output);
        }
        return 0;
    }

    /**
     * A series model: the input is a series (one row per step) and every window of it gets a
     * forecast, written as the step it is for and the value; the last one is past the data.
     */
    private int forecast(Predictor predictor, ModelInfo info) throws IOException {
        char delimiter = csv.given() != null ? csv.given() : info.delimiter();
        dendrite.nn.data.TimeSeries series;
        float[] x;
        List<String> inputs = new ArrayList<>();
        try {
            series = dendrite.nn.data.TimeSeries.readCsv(input, delimiter);
            for (String c : series.columns()) {
                if (!info.dropped().contains(c) && !drop.contains(c)) {
                    inputs.add(c);
                }
            }
            if (inputs.size() * info.window() != predictor.inputShape().size()) {
                throw new BadInputException("model " + modelFile + " forecasts from windows of " + info.window() + " steps of "
                        + predictor.inputShape().size() / info.window() + " columns, but " + input + " has " + inputs.size()
                        + " input columns (" + String.join(", ", inputs) + ")");
            }
            x = series.forecastWindows(inputs, info.window());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        int n = x.length / predictor.inputShape().size();
        float[] y = info.restore(predictor.predict(info.scaler() == null ? x : info.scaler().transform(x), n));
        StringBuilder sb = new StringBuilder("step,prediction\n");
        for (int i = 0; i < n; i++) {
            sb.append(i + info.window() - 1 + info.horizon()).append(',').append(y[i]).append('\n');
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(sb);
            out.flush();
        } else {
            dendrite.nn.internal.AtomicFile.write(output, o -> o.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d forecasts to %s%n", n, output);
        }
        return 0;
    }

    /** The input's feature columns: all but the dropped ones and the training label/target columns. */
    private Dataset readFeatures(ModelInfo info) throws IOException {
        char delimiter = csv.given() != null ? csv.given() : info.delimiter();
        List<String> header = new CsvReader().delimiter(delimiter).columnNames(input);
        Set<String> excluded = new LinkedHashSet<>(drop);
        for (String d : info.dropped()) {                 // what train left out, if this file has it
            if (header.contains(d)) {
                excluded.add(d);
            }
        }
        for (String d : drop) {
            if (!header.contains(d)) {
                throw new BadInputException("--drop " + d + ": " + input + " has no such column; its columns are "
                        + String.join(", ", header));
            }
        }
        if (info.label() != null) {
            excluded.add(DataSource.CsvColumns.columnName(header, info.label()));
        }
        if (info.target() != null) {
            for (String t : info.target().split(",")) {
                excluded.add(DataSource.CsvColumns.columnName(header, t.trim()));
            }
        }
        List<String> featureColumns = new ArrayList<>();
        for (String h : header) {
            if (!excluded.contains(h)) {
                featureColumns.add(h);
            }
        }
        if (featureColumns.isEmpty()) {
            throw new BadInputException(input + " has no feature columns left");
        }
        try (java.io.InputStream in = Files.newInputStream(input)) {
            return new CsvReader().delimiter(delimiter).noTargets().features(featureColumns.toArray(String[]::new))
                    .read(in, input.toString(), input.getFileName().toString());
        }
    }

    /** The predictions as CSV; with {@code rowNames} (the pictures' files) each row starts with its name. */
    private static void write(Writer w, Predictor predictor, ModelInfo info, float[] features, int n,
            List<String> rowNames) throws IOException {
        int outputs = predictor.outputShape().size();
        StringBuilder sb = new StringBuilder();
        if (rowNames != null) {
            sb.append("file,");
        }
        if (info.classification()) {
            List<String> names = info.classNamesOrNumbers(outputs);
            float[] p = predictor.predictProba(features, n);
            sb.append("prediction");
            for (String c : names) {
                sb.append(',').append(csv("p_" + c));
            }
            sb.append('\n');
            for (int r = 0; r < n; r++) {
                if (rowNames != null) {
                    sb.append(csv(rowNames.get(r))).append(',');
                }
                int best = 0;
                for (int j = 1; j < outputs; j++) {
                    if (p[r * outputs + j] > p[r * outputs + best]) {
                        best = j;
                    }
                }
                sb.append(csv(names.get(best)));
                for (int j = 0; j < outputs; j++) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.6f", p[r * outputs + j]));
                }
                sb.append('\n');
                flushIfLarge(w, sb);
            }
        } else {
            float[] y = info.restore(predictor.predict(features, n));
            for (int j = 0; j < outputs; j++) {
                sb.append(j > 0 ? "," : "").append(outputs == 1 ? "prediction" : "prediction_" + j);
            }
            sb.append('\n');
            for (int r = 0; r < n; r++) {
                if (rowNames != null) {
                    sb.append(csv(rowNames.get(r))).append(',');
                }
                for (int j = 0; j < outputs; j++) {
                    sb.append(j > 0 ? "," : "").append(y[r * outputs + j]);
                }
                sb.append('\n');
                flushIfLarge(w, sb);
            }
        }
        w.write(sb.toString());
    }

    private static void flushIfLarge(Writer w, StringBuilder sb) throws IOException {
        if (sb.length() > 1 << 16) {
            w.write(sb.toString());
            sb.setLength(0);
        }
    }

    /** A CSV field, quoted when it holds a comma, quote or line break. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
