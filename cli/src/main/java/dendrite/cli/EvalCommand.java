package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.train.Evaluation;
import dendrite.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite eval}: a saved model on a dataset: loss, accuracy, the per-class report and
 * the confusion matrix (or the regression errors). By default the dataset and the test part are
 * the ones the model was trained with, found again from the seed and fractions in the file.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on a dataset: loss, accuracy, per-class report, confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "<file>", description = "A model file written by train.")
    Path modelFile;

    @Option(names = {"-d", "--dataset"}, paramLabel = "<name>",
            description = "As for train (default: the dataset the model was trained on).")
    String dataset;

    @Option(names = "--label", paramLabel = "<column>", description = "CSV: the class-label column (default: as in training).")
    String label;

    @Option(names = "--target", paramLabel = "<columns>", description = "CSV: regression target column(s) (default: as in training).")
    String target;

    @Option(names = "--part", paramLabel = "<part>", defaultValue = "test",
            description = "test (default: the test part, split as in training), validation, train, or all.")
    String part;

    @Option(names = "--backend", paramLabel = "<name>", description = "scalar, vector or opencl (default: the best available).")
    String backend;

    @Option(names = "--confusion", paramLabel = "<png>", description = "Also draw the confusion matrix into this PNG file.")
    Path confusionPng;

    @Option(names = {"-f", "--force"}, description = "Overwrite the --confusion file if it exists.")
    boolean force;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Mixin
    CsvDelimiter csv;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String which = part.trim().toLowerCase(Locale.ROOT);
        if (!List.of("test", "validation", "train", "all").contains(which)) {
            throw new BadInputException("unknown --part '" + part + "'; known: test, validation, train, all");
        }
        if (confusionPng != null) {
            OutputFolder.checkWritable(confusionPng, force);
        }
        Backend be = BackendChoice.resolve(backend);
        ModelStore.requireFile(modelFile);
        ModelStore.Loaded loaded = ModelStore.load(modelFile, be);
        Sequential model = loaded.model();
        ModelInfo info = loaded.info();

        String spec = dataset != null ? dataset : info.dataset();
        if (spec == null) {
            throw new BadInputException("model " + modelFile + " does not say which dataset it was trained on; pass --dataset");
        }
        DataSource source = DataSource.parse(spec);
        if (source.kind() == DataSource.Kind.IMAGES && model.inputShape().rank() == 3) {
            source = source.withImageShape(model.inputShape().dims());   // read at the size the model was trained on
        }
        boolean sameData = dataset == null || dataset.equals(info.dataset());
        char delimiter = csv.given() != null ? csv.given() : sameData ? info.delimiter() : ',';
        DataSource.CsvColumns columns = info.columns(label != null || target != null || !sameData ? label : info.label(),
                label != null || target != null || !sameData ? target : info.target(), delimiter,
                sameData ? info.dropped() : List.of());
        List<String> warnings = new java.util.ArrayList<>();
        Dataset raw = select(source, columns, info, which, sameData, warnings);
        warnings.forEach(w -> this.spec.commandLine().getErr().println("dendrite: warning: " + w));
        if (raw.size() == 0) {
            throw new BadInputException("the " + which + " part of " + spec + " has no samples");
        }
        ModelFit.check(modelFile, model, info, raw, true);
        Dataset data = info.prepare(raw);

        Evaluation e = Scoring.evaluate(model, Scoring.lossFor(data), data, info.targetScaler());
        out.printf(Locale.ROOT, "model: %s (%s, %,d parameters)%n", modelFile, ModelOptions.describe(model), model.parameterCount());
        out.printf(Locale.ROOT, "data: %s, %s part: %d samples%n", spec, which, data.size());
        out.printf(Locale.ROOT, "backend: %s%n", be.name());
        if (data.isClassification()) {
            out.printf(Locale.ROOT, "loss: %.4f%naccuracy: %.4f%n%s%n", e.loss(), e.accuracy(),
                    Scoring.rankingLines(e, ""));
            out.println(e.report().format(4));
            out.println("confusion matrix (rows: true class, columns: predicted):");
            out.print(e.report().confusionMatrix());
            if (confusionPng != null) {
                List<String> names = info.classNamesOrNumbers(model.outputShape().size());
                Charts.confusion(e.report().confusionMatrix().toArray(), names.subList(0, e.report().confusionMatrix().numClasses()),
                        String.format(Locale.ROOT, "%s: %s confusion (accuracy %.4f)", source.shortName(), which, e.accuracy()),
                        confusionPng);
                out.println("wrote " + confusionPng);
            }
        } else {
            out.printf(Locale.ROOT, "loss: %.6f%s%nmse: %.6g%nrmse: %.6g%nmae: %.6g%nr2: %.4f%n", e.loss(),
                    info.targetScaler() == null ? "" : " (on standardized targets)", e.metrics().get("mse"),
                    e.metrics().get("rmse"), e.metrics().get("mae"), e.metrics().get("r2"));
        }
        out.flush();
        return 0;
    }

    private static Dataset select(DataSource source, DataSource.CsvColumns columns, ModelInfo info, String which,
            boolean sameData, List<String> warnings)
            throws IOException {
        if (which.equals("all")) {
            return source.loadAll(columns, info.seed());
        }
        DataSplit split = source.load(columns, info.seed(), info.validationFraction(), info.testFraction());
        if (sameData && info.dataFingerprint() != null && !info.dataFingerprint().equals(DataFingerprint.of(split))) {
            warnings.add("the data of " + info.dataset() + " is not what the model was trained on (it changed since):"
                    + " its " + which + " part is not the one training set aside, and may hold training samples");
        }
        return switch (which) {
            case "test" -> split.test();
            case "validation" -> split.validation();
            // The training part as train saw it: its first --limit samples, if it had a limit.
            default -> sameData && info.limit() != null ? split.train().head(info.limit()) : split.train();
        };
    }
}
