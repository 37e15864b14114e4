package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.ImageAugmentation;
import dendrite.nn.data.Scaler;
import dendrite.nn.losses.Loss;
import dendrite.nn.optim.Optimizer;
import dendrite.nn.train.EarlyStopping;
import dendrite.nn.train.Evaluation;
import dendrite.nn.train.History;
import dendrite.nn.train.NonFiniteLossException;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite train}: loads a dataset, trains a network on it (dense by default; convolutional,
 * recurrent or any layer list with {@code --model}) with a progress bar and
 * a line per epoch, prints {@code test accuracy: 0.xxxx}, and writes the model and its pictures
 * into the output folder.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network (dense, or convolutional with --model) and write the model and its charts.",
                "With no options: the embedded 8x8 digits, one hidden layer of 128, Adam, on the best backend."},
        footer = {"%nFiles written into the output folder: model.safetensors, curves.png (loss and accuracy per epoch), "
                + "confusion.png (classes), boundary.png (2-D data), predicted.png and residuals.png (regression: predicted"
                + " against actual, and the errors), fit.png (1-D regression), forecast.png (a series) and history.csv."})
final class TrainCommand implements Callable<Integer> {
    static final String MODEL_FILE = "model.safetensors";
    static final String CURVES_FILE = "curves.png";
    static final String LR_FIND_FILE = "lr_find.png";
    static final String CONFUSION_FILE = "confusion.png";
    static final String BOUNDARY_FILE = "boundary.png";
    static final String FIT_FILE = "fit.png";
    static final String PREDICTED_FILE = "predicted.png";
    static final String RESIDUALS_FILE = "residuals.png";
    static final String FORECAST_FILE = "forecast.png";
    static final String HISTORY_FILE = "history.csv";
    /**
     * The dense preset's dropout for a CSV regression when --dropout is not given: small noisy
     * tables (the wine-quality kind) overfit a 128-unit layer at the learning rate that a clean
     * signal (the server-load kind) needs; benchmarks/README.md has the comparison.
     */
    static final double CSV_REGRESSION_DROPOUT = 0.3;
    /** The embedding size of the preset text models. */
    static final int TEXT_EMBEDDING = 32;
    /** Grid points per axis of the decision-boundary picture. */
    static final int BOUNDARY_GRID = 150;

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--dataset"}, paramLabel = "<name>", defaultValue = "digits",
            description = "digits (embedded, default), fashion-mnist[:<folder>], mnist:<folder>, cifar10:<folder>, "
                    + "csv:<file>, a series (series:<file>, server-load-series), a text (text:<file>), "
                    + "or a synthetic set: xor, moons, circles, spirals[:<arms>], regression, server-load.")
    String dataset;

    @Option(names = "--label", paramLabel = "<column>", description = "CSV: the class-label column (name, or 0-based index).")
    String label;

    @Option(names = "--target", paramLabel = "<columns>", description = "CSV: regression target column(s) instead of --label.")
    String target;

    @Option(names = "--window", paramLabel = "<steps>",
            description = "A series: the steps of history each forecast sees (default: 48); a text: the tokens each"
                    + " prediction sees (default: 32).")
    Integer window;

    @Option(names = "--horizon", paramLabel = "<steps>",
            description = "A series: how many steps after the window's last the forecast is for (default: 1, the next).")
    Integer horizon;

    @Option(names = "--stride", paramLabel = "<chars>",
            description = "A text: characters between one window's start and the next's (default: 3).")
    Integer stride;

    @Option(names = "--tokens", paramLabel = "<kind>", defaultValue = "chars",
            description = "A text: chars (default: every character a token) or words (words and punctuation, the"
                    + " --vocabulary most frequent, the rest <unk>).")
    String tokens;

    @Option(names = "--vocabulary", paramLabel = "<n>",
            description = "A text of words: how many distinct tokens to keep, <unk> included (default: 10000).")
    Integer vocabulary;

    @Option(names = "--hidden", paramLabel = "<sizes>",
            description = "Hidden layer sizes, e.g. 256,128; 'none' for a linear model "
                    + "(default: 128 for digits, CSV and text, 256,128 for image sets, 64,64 for synthetic sets, 64 for a"
                    + " series).")
    String hidden;

    @Option(names = "--model", paramLabel = "<spec>", defaultValue = "mlp",
            description = "mlp (default: --hidden and --activation), cnn (conv 32 3, relu, maxpool 2, conv 64 3, relu, "
                    + "maxpool 2, flatten, dense 128, relu; trained by default with its recipe: adamw, --lr 0.002,"
                    + " --weight-decay 0.05, --batch 64, --augment \"crop 1\"), cnn-bn (cnn with batchnorm2d after each conv;"
                    + " the same recipe with --lr 0.003), lstm or gru (for a series: 64 units; for a text: an embedding"
                    + " of 32 and 128 units), or layers such as \"conv 16 3 pad same, relu, maxpool 2, "
                    + "flatten, dense 64, relu\"; the output layer is added after them (see cli/README.md).")
    String model;

    @Option(names = "--augment", paramLabel = "<moves>", defaultValue = "none",
            description = "Moves each training image at random, afresh every batch: 'crop P' (a random crop of the"
                    + " image padded with P zeros), 'flip' (mirrors half the images), e.g. \"crop 2, flip\"; none"
                    + " (default). Images only; validation and test images are not moved.")
    String augment;

    @Option(names = "--image", paramLabel = "<CxHxW>",
            description = "Sees each sample as an image of this shape, e.g. 1x28x28 for a CSV of 784 pixels (HxW means"
                    + " one channel); image datasets already have theirs, except images:<folder>, whose pictures are"
                    + " resized to it (default 3x32x32; 1 channel reads them as grayscale).")
    String image;

    @Option(names = {"-a", "--activation"}, paramLabel = "<name>", defaultValue = "relu",
            description = "relu (default), tanh, sigmoid, gelu (exact, as PyTorch's default), gelu-tanh (its tanh"
                    + " approximation), silu (x sigmoid(x), Keras' swish), softplus, elu (alpha 1), selu (LeCun"
                    + " normal weights before it), mish (x tanh(softplus(x))), hardswish (x relu6(x + 3) / 6),"
                    + " leaky-relu.")
    String activation;

    @Option(names = "--optimizer", paramLabel = "<name>", defaultValue = "adam",
            description = "sgd, momentum, adam (default), adamw, rmsprop, adagrad, nadam, radam, adamax, adadelta"
                    + " (each as PyTorch's, with its defaults).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "<rate>",
            description = "Learning rate (default: 0.001 for adam, adamw, rmsprop and radam, 0.002 for nadam and adamax, "
                    + "0.01 for all of these on synthetic sets and CSV regressions; 0.1 for sgd; 0.01 for momentum, 0.05 on "
                    + "synthetic sets and CSV regressions; 0.05 for adagrad; 1 for adadelta).")
    Double lr;

    @Option(names = "--find-lr",
            description = "Run a learning-rate range test first (fastai's lr_find: 100 batches at rates growing"
                    + " from 1e-7 to 10, the model then put back) and, unless --lr is given, train at the rate where"
                    + " the loss fell fastest; the curve goes to " + LR_FIND_FILE + ".")
    boolean findLr;

    @Option(names = "--schedule", paramLabel = "<name>", defaultValue = "cosine",
            description = "Learning-rate schedule: cosine (default: decays to zero by the last step), constant, step (x0.1"
                    + " every third of the run; step:<epochs>:<gamma>), exponential (to 1%% by the end; exponential:<gamma>"
                    + " per epoch), plateau (x0.1 after 2 epochs without a better validation loss; plateau:<patience>:<factor>),"
                    + " cosine:<f> or linear[:<f>] (warm-up over the fraction f of the steps, then down to zero),"
                    + " onecycle[:<pct>] (PyTorch's OneCycleLR, --lr the peak, the momentum cycled where the optimizer has one), restarts[:<epochs>[:<mult>]] (SGDR),"
                    + " multistep:<e1>,<e2>[:<gamma>].")
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "<wd>", defaultValue = "0",
            description = "L2 weight decay (decoupled for adamw, which defaults to 0.01).")
    double weightDecay;

    @Option(names = {"-e", "--epochs"}, paramLabel = "<n>",
            description = "Passes over the training data (default: 30 for digits and series, 10 for image sets, 50 for"
                    + " CSV, 100 for synthetic sets, 5 for a text).")
    Integer epochs;

    @Option(names = {"-b", "--batch"}, paramLabel = "<n>",
            description = "Mini-batch size (default: 128 for image sets, 64 for a text and for --model cnn and cnn-bn,"
                    + " else 32).")
    Integer batch;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "42",
            description = "Seed for weights, shuffling and splits (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "<name>", description = "scalar, vector or opencl (default: the best available).")
    String backend;

    @Option(names = "--val-split", paramLabel = "<fraction>", defaultValue = "0.1",
            description = "Part of the data held out for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--test-split", paramLabel = "<fraction>", defaultValue = "0.2",
            description = "Part held out for the test score, for sets without their own test part (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--scale", paramLabel = "<kind>", defaultValue = "auto",
            description = "Feature scaling fitted on the training part: standard, minmax, none, or auto "
                    + "(default: none for image sets, already in [0, 1]; standard otherwise).")
    String scale;

    @Option(names = "--scale-target", paramLabel = "<kind>", defaultValue = "auto",
            description = "Regression: standard (auto, the default: the network learns targets of mean 0 and standard"
                    + " deviation 1, fitted on the training part; metrics and predictions are in the target's units) or none"
                    + " (auto is none for --loss poisson).")
    String scaleTarget;

    @Option(names = "--patience", paramLabel = "<epochs>", defaultValue = "0",
            description = "Stop when the validation loss has not improved for this many epochs and keep the best weights (0: off).")
    int patience;

    @Option(names = "--limit", paramLabel = "<n>", description = "Train on at most this many samples (a quick run).")
    Integer limit;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar per epoch when stderr is a terminal (--no-progress: never).")
    boolean progress;

    @Mixin
    OutputFolder output;

    @Mixin
    TrainingOptions training;

    @Mixin
    CsvDelimiter csv;

    @Option(names = "--drop", split = ",", paramLabel = "<column>",
            description = "CSV: columns that are not features (an id, a timestamp); the model file records them, and"
                    + " eval and predict leave them out too.")
    List<String> drop = new ArrayList<>();

    @Option(names = "--features", split = ",", paramLabel = "<column>",
            description = "CSV: only these columns are features (the others but the label or target are dropped, as with"
                    + " --drop).")
    List<String> features = new ArrayList<>();

    @Option(names = "--log-every", paramLabel = "<n>",
            description = "Print the epoch line every n epochs, and the first and last (default: every epoch up to 100"
                    + " epochs, about 50 lines beyond).")
    Integer logEvery;

    @Option(names = {"-q", "--quiet"}, description = "No epoch lines and no progress bar: only the summary and the result.")
    boolean quiet;

    @Option(names = "--json",
            description = "For scripts: stdout holds one JSON object per epoch and a final one with the result, and nothing else.")
    boolean json;

    @Option(names = "--monitor",
            description = "Watch for the textbook failures (vanishing or exploding gradients, a diverging loss, dead ReLUs,"
                    + " saturated units, a loss stuck at chance, overfitting, double softmax) and print a warning line,"
                    + " naming the layer and the fix, for each.")
    boolean monitor;

    @Mixin
    Verbosity verbosity;

    /** Settings that suit each kind of dataset, used where the user gives none. */
    private record Defaults(String hidden, int epochs, int batch) {
        static Defaults of(DataSource.Kind kind) {
            return switch (kind) {
                case DIGITS -> new Defaults("128", 30, 32);
                case FASHION_MNIST, MNIST, CIFAR10, IMAGES -> new Defaults("256,128", 10, 128);
                case CSV -> new Defaults("128", 50, 32);
                case SYNTHETIC -> new Defaults("64,64", 100, 32);
                case SERIES -> new Defaults("64", 30, 32);
                case TEXT -> new Defaults("128", 5, 64);
            };
        }
    }

    @Override
    public Integer call() throws IOException {
        // With --json, stdout holds JSON objects only, one a line; the human lines go nowhere.
        PrintWriter jsonOut = json ? spec.commandLine().getOut() : null;
        PrintWriter out = json ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        DataSource source = DataSource.parse(dataset);
        Defaults defaults = Defaults.of(source.kind());
        int[] hiddenSizes = ModelOptions.hidden(hidden != null ? hidden : defaults.hidden());
        var layerSpec = ModelSpec.isMlp(model) ? null : ModelSpec.parse(model);   // a bad spec fails before any loading
        training.checkFitsModel(layerSpec == null);
        training.ema();
        training.accumulate();
        Double dropoutP = training.dropout();
        var init = training.initializer();
        ParseResult given = spec.commandLine().getParseResult();
        PresetRecipe recipe = PresetRecipe.of(model).orElse(null);
        ImageAugmentation augmentation = augmentation(recipe != null && !given.hasMatchedOption("--augment")
                ? recipe.augment() : augment);
        String act = ModelOptions.checkActivation(activation);
        String opt = ModelOptions.checkOptimizer(recipe != null && !given.hasMatchedOption("--optimizer")
                ? recipe.optimizer() : optimizer);
        // The recipe's rate and decay were tuned for its optimizer; with another, the usual defaults.
        boolean recipeOptimizer = recipe != null && opt.equals(recipe.optimizer());
        Double learningRate = lr != null ? lr : recipeOptimizer ? Double.valueOf(recipe.learningRate()) : null;
        double decay = recipeOptimizer && !given.hasMatchedOption("--weight-decay") ? recipe.weightDecay() : weightDecay;
        int epochCount = epochs != null ? epochs : defaults.epochs();
        int batchSize = batch != null ? batch : recipe != null ? recipe.batch() : defaults.batch();
        checkRanges(epochCount, batchSize);
        // An unknown name or bad arguments fail here, before any loading; a step count that every schedule
        // accepts, since the run's own is known only once the data is.
        ModelOptions.schedule(schedule, 1_000_000L * epochCount, epochCount, false);
        if (patience > 0 && validationFraction == 0) {
            throw new BadInputException("--patience " + patience + " watches the validation loss, but --val-split 0 leaves"
                    + " no validation part; give --val-split 0.1 (or more), or drop --patience");
        }
        Scaling scaling = Scaling.parse(scale, source);
        Backend be = BackendChoice.resolve(backend);

        int[] imageShape = image == null ? null : imageShape(image);
        if (source.kind() == DataSource.Kind.IMAGES && imageShape != null) {
            source = source.withImageShape(imageShape);        // the pictures are read at this size
            imageShape = null;
        }
        char delimiter = csv.given() == null ? ',' : csv.given();
        List<String> dropped = droppedColumns(source, delimiter);
        boolean series = source.kind() == DataSource.Kind.SERIES;
        boolean text = source.kind() == DataSource.Kind.TEXT;
        if (!series && !text && window != null) {
            throw new BadInputException("--window applies to a time series (--dataset series:<file> or server-load-series)"
                    + " or a text (text:<file>)");
        }
        if (!series && horizon != null) {
            throw new BadInputException("--horizon applies to a time series (--dataset series:<file> or server-load-series)");
        }
        if (!text && (stride != null || vocabulary != null || !tokens.equals("chars"))) {
            throw new BadInputException((stride != null ? "--stride" : vocabulary != null ? "--vocabulary" : "--tokens")
                    + " applies to a text (--dataset text:<file>)");
        }
        boolean words = switch (tokens.trim().toLowerCase(Locale.ROOT)) {
            case "chars", "characters" -> false;
            case "words" -> true;
            default -> throw new BadInputException("unknown --tokens '" + tokens + "'; known: chars, words");
        };
        if (!words && vocabulary != null) {
            throw new BadInputException("--vocabulary applies to --tokens words (a character text keeps every character)");
        }
        int wordVocabulary = words ? (vocabulary != null ? vocabulary : 10_000) : 0;
        if (words && wordVocabulary < 2) {
            throw new BadInputException("--vocabulary " + wordVocabulary + ": must be at least 2 (<unk> and one word)");
        }
        int windowSteps = window != null ? window
                : text ? DataSource.CsvColumns.DEFAULT_TEXT_WINDOW : DataSource.CsvColumns.DEFAULT_WINDOW;
        int horizonSteps = horizon != null ? horizon : 1;
        int strideChars = stride != null ? stride : DataSource.CsvColumns.DEFAULT_STRIDE;
        if (windowSteps < 1 || horizonSteps < 1 || strideChars < 1) {
            throw new BadInputException("--window " + windowSteps + ", --horizon " + horizonSteps + " and --stride "
                    + strideChars + ": each must be at least 1");
        }
        DataSource.CsvColumns columns = new DataSource.CsvColumns(label, target, delimiter, dropped, windowSteps, horizonSteps,
                strideChars, wordVocabulary);
        DataSplit raw = source.load(columns, seed, validationFraction, testFraction);
        if (imageShape != null) {
            raw = asImages(raw, imageShape);
        }
        Dataset rawTrain = limit != null ? raw.train().head(limit) : raw.train();
        if (rawTrain.size() == 0) {
            throw new BadInputException("dataset " + source.spec() + ": no training samples left after the split");
        }
        Scaler scaler = scaling.fit(rawTrain);
        Scaler targetScaler = targetScaler(rawTrain);
        Dataset trainSet = ModelInfo.prepare(rawTrain, scaler, targetScaler);
        Dataset validationSet = ModelInfo.prepare(raw.validation(), scaler, targetScaler);
        Dataset testSet = ModelInfo.prepare(raw.test(), scaler, targetScaler);
        boolean classification = trainSet.isClassification();
        if (text) {
            String named = model.trim().toLowerCase(Locale.ROOT);
            if (ModelSpec.isMlp(model) || named.equals("lstm") || named.equals("gru")) {
                int units = hiddenSizes.length > 0 ? hiddenSizes[0] : 128;
                layerSpec = ModelSpec.parse("embedding " + trainSet.numClasses() + " " + TEXT_EMBEDDING + ", "
                        + (named.equals("gru") ? "gru " : "lstm ") + units);
            }
        }
        boolean csvRegression = source.kind() == DataSource.Kind.CSV && !classification;
        double rate = learningRate != null ? learningRate
                : ModelOptions.defaultLearningRate(opt, source.kind() == DataSource.Kind.SYNTHETIC || csvRegression);
        if (dropoutP == null && csvRegression && layerSpec == null && hiddenSizes.length > 0) {
            dropoutP = CSV_REGRESSION_DROPOUT;
        }
        boolean twoD = classification && trainSet.sampleSize() == 2;
        boolean oneD = !classification && trainSet.sampleSize() == 1 && trainSet.targetSize() == 1;

        List<String> files = new ArrayList<>(List.of(MODEL_FILE, CURVES_FILE, HISTORY_FILE));
        if (findLr) {
            files.add(LR_FIND_FILE);
        }
        if (classification && !text) {                    // a confusion matrix of every character is unreadable
            files.add(CONFUSION_FILE);
        }
        if (twoD) {
            files.add(BOUNDARY_FILE);
        }
        if (!classification) {
            files.add(PREDICTED_FILE);
            files.add(RESIDUALS_FILE);
        }
        if (oneD) {
            files.add(FIT_FILE);
        }
        if (series) {
            files.add(FORECAST_FILE);
        }
        String defaultFolder = "runs/" + source.shortName() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try (RunFolder run = output.claim(defaultFolder, files)) {
            int outputs = classification ? trainSet.numClasses() : trainSet.targetSize();
            Sequential model = layerSpec == null
                    ? ModelOptions.build(trainSet.sampleShape(), hiddenSizes, act, outputs, be, seed, dropoutP,
                            training.batchNorm, init, training.outputLayer())
                    : ModelOptions.build(trainSet.sampleShape(), layerSpec, outputs, be, seed, training.outputLayer());
            checkAugmentationFits(augmentation, model);
            Loss loss = training.loss(classification, trainSet);
            int stepBatch = Math.min(batchSize, trainSet.size());
            if (findLr) {
                double found = findLearningRate(model, loss, opt, rate, decay, stepBatch, trainSet, source.shortName(),
                        run.file(LR_FIND_FILE), out);
                if (lr == null && !Double.isNaN(found)) {
                    rate = found;
                }
            }
            Optimizer optim = ModelOptions.optimizer(opt, rate, decay);
            training.clip(optim);
            long batchesPerEpoch = (trainSet.size() + stepBatch - 1) / stepBatch;
            long totalSteps = (long) epochCount * ((batchesPerEpoch + training.accumulate() - 1) / training.accumulate());
            optim.schedule(ModelOptions.schedule(schedule, totalSteps, epochCount, optim.takesScheduledMomentum()));

            out.printf(Locale.ROOT, "dataset: %s: %d train, %d validation, %d test; %d features, %s%n", source.spec(),
                    trainSet.size(), validationSet.size(), testSet.size(), trainSet.sampleSize(),
                    classification ? trainSet.numClasses() + " classes" : trainSet.targetSize() + " target(s)");
            out.printf(Locale.ROOT, "model: %s (%,d parameters)%n", ModelOptions.describe(model), model.parameterCount());
            out.printf(Locale.ROOT, "backend: %s (%s)%n", be.name(), be.description());
            out.printf(Locale.ROOT, "training: %s lr %s (%s)%s, batch %d, %d epochs, seed %d%s%s%s%n", opt, plain(rate),
                    schedule.trim().toLowerCase(Locale.ROOT)
                            + (optim.schedule().setsMomentum() ? ", momentum 0.95 to 0.85 and back" : ""),
                    optim.weightDecay() > 0 ? ", weight decay " + plain(Double.parseDouble(Float.toString(optim.weightDecay()))) : "",
                    batchSize, epochCount,
                    seed, (scaler == null ? "" : ", " + scaling.label() + " scaling")
                            + (targetScaler == null ? "" : ", standardized targets") + training.describe(),
                    augmentation.isNone() ? "" : ", augmented: " + augmentation,
                    recipe == null ? "" : " (" + recipe.model() + "'s recipe where not given)");
            out.flush();

            if (logEvery != null && logEvery < 1) {
                throw new BadInputException("--log-every " + logEvery + ": must be at least 1");
            }
            int every = quiet ? 0 : logEvery != null ? logEvery : ConsoleListener.defaultEvery(epochCount);
            ConsoleListener listener = new ConsoleListener(out, spec.commandLine().getErr(),
                    !quiet && !json && progress && EpochProgress.terminalAttached(), epochCount, every, jsonOut);
            History history = train(model, loss, optim, augmentation, trainSet, validationSet, batchSize, epochCount,
                    out, listener, targetScaler);

            ModelInfo info = new ModelInfo(classification, trainSet.classNames(), scaler, targetScaler, source.spec(), seed,
                    validationFraction, testFraction, label, target, DataFingerprint.of(raw), delimiter, limit,
                    dropped, series || text ? windowSteps : null, series ? horizonSteps : null, text ? strideChars : null,
                    words ? wordVocabulary : null);
            ModelStore.save(run.file(MODEL_FILE), model, info);
            writeHistory(history, listener.epochSeconds(), run.file(HISTORY_FILE));
            String title = source.shortName();
            Charts.curves(curves(history, classification), title, run.file(CURVES_FILE));

            // Scored on the test part; a run with --test-split 0 is scored on what it has.
            Dataset scored = testSet.size() > 0 ? testSet : validationSet.size() > 0 ? validationSet : trainSet;
            String scoredOn = scored == testSet ? "test" : scored == validationSet ? "validation" : "train";
            Evaluation test = Scoring.evaluate(model, loss, scored, targetScaler);
            if (classification) {
                List<String> names = info.classNamesOrNumbers(trainSet.numClasses());
                String chartTitle = String.format(Locale.ROOT, "%s: %s confusion (accuracy %.4f)", title, scoredOn,
                        test.accuracy());
                if (!text) {
                    Charts.confusion(test.report().confusionMatrix().toArray(), names, chartTitle, run.file(CONFUSION_FILE));
                }
                if (twoD) {
                    drawBoundary(model, scaler, rawTrain, names, title, run.file(BOUNDARY_FILE));
                }
                out.printf(Locale.ROOT, "%s loss: %.4f%n", scoredOn, test.loss());
                out.printf(Locale.ROOT, "%s accuracy: %.4f%n", scoredOn, test.accuracy());
                out.print(Scoring.rankingLines(test, scoredOn + " "));
                if (text) {
                    double bigram = dendrite.nn.data.TextCorpus.bigramCrossEntropy(trainSet, scored);
                    out.printf(Locale.ROOT, "%s bits per %s: %.4f (perplexity %.3f); a bigram model's: %.4f"
                            + " (perplexity %.3f)%n", scoredOn, words ? "word" : "character", test.loss() / Math.log(2),
                            Math.exp(test.loss()), bigram / Math.log(2), Math.exp(bigram));
                }
                Divergence.check(history, trainSet.numClasses(), test.accuracy(), optim.learningRate())
                        .ifPresent(w -> spec.commandLine().getErr().println("dendrite: warning: " + w));
            } else {
                if (oneD) {
                    drawFit(model, info, rawTrain, title, run.file(FIT_FILE));
                }
                float[] actual = targetScaler == null ? scored.targets() : targetScaler.inverseTransform(scored.targets());
                float[] predicted = info.restore(model.predict(scored.features(), scored.size()));
                String r2 = String.format(Locale.ROOT, "R² %.4f", test.metrics().get("r2"));
                Charts.predictedAgainstActual(actual, predicted, title + ": " + scoredOn + " predictions (" + r2 + ")",
                        run.file(PREDICTED_FILE));
                Charts.residuals(actual, predicted, title + ": " + scoredOn + " residuals", run.file(RESIDUALS_FILE));
                out.printf(Locale.ROOT, "%s rmse: %.6g  mae: %.6g  r2: %.4f%n", scoredOn, test.metrics().get("rmse"),
                        test.metrics().get("mae"), test.metrics().get("r2"));
                if (series) {
                    float[] naive = lastValues(source, columns, dropped, scored == testSet ? raw.test()
                            : scored == validationSet ? raw.validation() : rawTrain);
                    if (naive != null) {
                        double mse = dendrite.nn.metrics.Metrics.meanSquaredError(actual, naive);
                        out.printf(Locale.ROOT, "%s last value (the forecast to beat) rmse: %.6g  mae: %.6g  r2: %.4f%n",
                                scoredOn, Math.sqrt(mse), dendrite.nn.metrics.Metrics.meanAbsoluteError(actual, naive),
                                dendrite.nn.metrics.Metrics.r2(actual, naive));
                    }
                    Charts.forecast(actual, predicted, naive, title + ": " + scoredOn + " forecast (" + r2 + ")",
                            run.file(FORECAST_FILE));
                }
            }
            run.commit();
            out.printf("wrote %s: %s%n", run.target(), String.join(", ", files));
            out.flush();
            if (jsonOut != null) {
                java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
                result.put("event", "result");
                result.put("part", scoredOn);
                result.put("loss", test.loss());
                if (classification) {
                    result.put("accuracy", test.accuracy());
                } else {
                    result.put("mse", test.metrics().get("mse"));
                    result.put("rmse", test.metrics().get("rmse"));
                    result.put("mae", test.metrics().get("mae"));
                    result.put("r2", test.metrics().get("r2"));
                }
                result.put("model", run.target().resolve(MODEL_FILE).toString());
                jsonOut.println(ConsoleListener.jsonLine(result));
                jsonOut.flush();
            }
            return 0;
        }
    }

    /**
     * The CSV columns left out of the features: --drop's, or with --features every column that is not
     * one of them, the label or the target.
     */
    private List<String> droppedColumns(DataSource source, char delimiter) throws IOException {
        boolean columnar = source.kind() == DataSource.Kind.CSV || source.kind() == DataSource.Kind.SERIES;
        if ((!drop.isEmpty() || !features.isEmpty()) && !columnar) {
            throw new BadInputException((drop.isEmpty() ? "--features" : "--drop") + " applies to CSV datasets (csv:<file>)"
                    + " and series");
        }
        if (features.isEmpty()) {
            return List.copyOf(drop);
        }
        if (!drop.isEmpty()) {
            throw new BadInputException("give --features or --drop, not both");
        }
        List<String> header = columns(source, delimiter);
        for (String f : features) {
            if (!header.contains(f)) {
                throw new BadInputException("--features " + f + ": " + source.argument() + " has no such column; its columns"
                        + " are " + String.join(", ", header));
            }
        }
        java.util.Set<String> keep = new java.util.HashSet<>(features);
        if (source.kind() != DataSource.Kind.SERIES) {      // a series' target is an input too, unless left out
            for (String t : (label != null ? label : target != null ? target : "").split(",")) {
                keep.add(DataSource.CsvColumns.columnName(header, t.trim()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String h : header) {
            if (!keep.contains(h)) {
                out.add(h);
            }
        }
        return List.copyOf(out);
    }

    /** The column names of a CSV or series: its header, or the generated series' columns. */
    private static List<String> columns(DataSource source, char delimiter) throws IOException {
        if (source.kind() == DataSource.Kind.SERIES && source.argument() == null) {
            return dendrite.nn.data.Synthetic.SERVER_LOAD_COLUMNS;
        }
        return new dendrite.nn.data.CsvReader().delimiter(delimiter).columnNames(Path.of(source.argument()));
    }

    /**
     * The naive forecast for each window of {@code part} (the target's value at the window's last
     * step), or null when the target is not among the inputs.
     */
    private static float[] lastValues(DataSource source, DataSource.CsvColumns columns, List<String> dropped, Dataset part)
            throws IOException {
        List<String> inputs = new ArrayList<>(columns(source, columns.delimiter()));
        inputs.removeAll(dropped);
        int j = inputs.indexOf(source.seriesTarget(columns));
        if (j < 0) {
            return null;
        }
        int c = inputs.size();
        int w = columns.window();
        float[] x = part.features();
        float[] out = new float[part.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[(i * w + w - 1) * c + j];
        }
        return out;
    }

    private static ImageAugmentation augmentation(String spec) {
        try {
            return ImageAugmentation.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--augment '" + spec + "': " + e.getMessage());
        }
    }

    private static void checkAugmentationFits(ImageAugmentation augmentation, Sequential model) {
        try {
            augmentation.checkFits(model.inputShape().dims());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--augment: " + e.getMessage());
        }
    }

    /** "1x28x28" or "28x28" (one channel) as a shape. */
    static int[] imageShape(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new BadInputException("--image '" + spec + "': expected CxHxW or HxW, e.g. 1x28x28 or 3x32x32");
        }
        int[] dims = new int[3];
        dims[0] = 1;
        for (int i = 0; i < parts.length; i++) {
            try {
                int v = Integer.parseInt(parts[i].trim());
                if (v < 1 || v > 65_536) {
                    throw new NumberFormatException();
                }
                dims[i + 3 - parts.length] = v;
            } catch (NumberFormatException e) {
                throw new BadInputException("--image '" + spec + "': '" + parts[i] + "' is not a size from 1 to 65536");
            }
        }
        return dims;
    }

    private static DataSplit asImages(DataSplit raw, int[] shape) {
        try {
            return new DataSplit(raw.train().withSampleShape(shape), raw.validation().withSampleShape(shape),
                    raw.test().withSampleShape(shape));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--image " + shape[0] + "x" + shape[1] + "x" + shape[2] + ": " + e.getMessage());
        }
    }

    /** A regression's target scaler fitted on the training part, or null (classification, or --scale-target none). */
    private Scaler targetScaler(Dataset rawTrain) {
        String kind = scaleTarget.trim().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "auto", "standard", "none" -> { }
            default -> throw new BadInputException("unknown --scale-target '" + scaleTarget + "'; known: auto, standard, none");
        }
        if (rawTrain.isClassification()) {
            if (kind.equals("standard")) {
                throw new BadInputException("--scale-target standard scales regression targets, but " + dataset
                        + " is a classification set (its targets are classes); drop --scale-target");
            }
            return null;
        }
        if (training.keepsTargets()) {
            if (kind.equals("standard")) {
                throw new BadInputException("--scale-target standard: --loss poisson takes the targets as the counts they"
                        + " are; drop --scale-target");
            }
            return null;
        }
        return kind.equals("none") ? null : Scaler.standardizeTargets(rawTrain);
    }

    private void checkRanges(int epochCount, int batchSize) {
        if (epochCount < 1) {
            throw new BadInputException("--epochs " + epochCount + ": must be at least 1");
        }
        if (batchSize < 1) {
            throw new BadInputException("--batch " + batchSize + ": must be at least 1");
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || !(testFraction >= 0 && testFraction < 1)
                || validationFraction + testFraction >= 1) {
            throw new BadInputException("--val-split " + validationFraction + " and --test-split " + testFraction
                    + ": each must be in [0, 1) and together below 1");
        }
        if (patience < 0) {
            throw new BadInputException("--patience " + patience + ": must be 0 (off) or more");
        }
        if (limit != null && limit < 1) {
            throw new BadInputException("--limit " + limit + ": must be at least 1");
        }
    }

    /**
     * --find-lr: the range test on the training part with the optimizer train will use, its curve
     * drawn, its finding printed.
     *
     * @return the suggested rate, or NaN when the test could not say
     */
    private double findLearningRate(Sequential model, Loss loss, String opt, double rate, double decay, int batch,
            Dataset trainSet, String title, Path chart, PrintWriter out) throws IOException {
        dendrite.nn.train.LearningRateFinder.Result found = dendrite.nn.train.LearningRateFinder
                .builder(model, loss, () -> {
                    Optimizer o = ModelOptions.optimizer(opt, rate, decay);
                    training.clip(o);
                    return o;
                })
                .batchSize(batch).seed(seed).build().find(trainSet);
        Charts.learningRateRange(found.learningRates(), found.losses(), found.smoothedLosses(), found.suggestion(),
                title + ": learning-rate range test", chart);
        double[] rates = found.learningRates();
        String range = String.format(Locale.ROOT, "%d batches at rates %.3g to %.3g%s", rates.length, rates[0],
                rates[rates.length - 1], found.diverged() ? ", stopped as the loss blew up" : "");
        if (Double.isNaN(found.suggestion())) {
            out.printf(Locale.ROOT, "learning-rate finder: no suggestion (%s); training at %s%n", range, plain(rate));
            out.flush();
            return Double.NaN;
        }
        // Three digits: the rate printed is the rate trained with, and the curve says no more than that.
        double suggested = Double.parseDouble(String.format(Locale.ROOT, "%.3g", found.suggestion()));
        out.printf(Locale.ROOT, "learning-rate finder: the loss fell fastest at %s (%s)%s%n", plain(suggested), range,
                lr != null ? "; training at --lr " + plain(lr) : "");
        out.flush();
        return suggested;
    }

    private History train(Sequential model, Loss loss, Optimizer optim, ImageAugmentation augmentation, Dataset trainSet,
            Dataset validationSet, int batchSize, int epochCount, PrintWriter out, ConsoleListener listener,
            Scaler targetScaler) {
        Trainer.Builder tb = Trainer.builder(model).loss(loss).optimizer(optim).augmentation(augmentation)
                .targetScaler(targetScaler)
                .epochs(epochCount).batchSize(Math.min(batchSize, trainSet.size())).seed(seed)
                .ema(training.ema())
                .accumulateGradients(training.accumulate())
                .listener(listener);
        if (monitor) {
            PrintWriter err = spec.commandLine().getErr();
            tb.listener(new dendrite.nn.diag.TrainingMonitor().onWarning(w -> {
                listener.closeBar();
                err.println("dendrite: warning: " + w.message());
                err.flush();
            }));
        }
        if (validationSet.size() > 0) {
            tb.validationData(validationSet);
            if (patience > 0) {
                tb.earlyStopping(EarlyStopping.monitor("val_loss").patience(patience));
            }
        }
        History history;
        try {
            history = tb.build().fit(trainSet);
        } catch (NonFiniteLossException e) {
            throw new BadInputException("training diverged at " + e.getMessage() + " (--lr " + plain(optim.learningRate()) + ")", e);
        } finally {
            listener.closeBar();
        }
        if (history.stoppedEarly()) {
            out.printf(Locale.ROOT, "early stop: the validation loss did not improve for %d epochs; kept the weights of epoch %d%n",
                    patience, history.bestEpoch() + 1);
        }
        return history;
    }

    /** The predicted class over a grid spanning the data (with a margin), in the data's own units. */
    private static void drawBoundary(Sequential model, Scaler scaler, Dataset raw, List<String> names, String title,
            Path file) throws IOException {
        float[] f = raw.features();
        double[] xs = span(f, 0, BOUNDARY_GRID);
        double[] ys = span(f, 1, BOUNDARY_GRID);
        float[] grid = new float[BOUNDARY_GRID * BOUNDARY_GRID * 2];
        for (int iy = 0; iy < BOUNDARY_GRID; iy++) {
            for (int ix = 0; ix < BOUNDARY_GRID; ix++) {
                int k = iy * BOUNDARY_GRID + ix;
                grid[2 * k] = (float) xs[ix];
                grid[2 * k + 1] = (float) ys[iy];
            }
        }
        if (scaler != null) {
            scaler.transformInPlace(grid);
        }
        int[] predicted = model.predictClasses(grid, BOUNDARY_GRID * BOUNDARY_GRID);
        int[][] classes = new int[BOUNDARY_GRID][BOUNDARY_GRID];
        for (int iy = 0; iy < BOUNDARY_GRID; iy++) {
            System.arraycopy(predicted, iy * BOUNDARY_GRID, classes[iy], 0, BOUNDARY_GRID);
        }
        int[] labels = new int[raw.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = raw.label(i);
        }
        Charts.decisionBoundary(xs, ys, classes, f, labels, names, title + ": decision boundary", file);
    }

    /** The model's curve over the range of the 1-D inputs, with the data. */
    private static void drawFit(Sequential model, ModelInfo info, Dataset raw, String title, Path file) throws IOException {
        Scaler scaler = info.scaler();
        int points = 200;
        double[] xs = span(raw.features(), 0, 1, points, 0);
        float[] in = new float[points];
        for (int i = 0; i < points; i++) {
            in[i] = (float) xs[i];
        }
        if (scaler != null) {
            scaler.transformInPlace(in);
        }
        float[] pred = info.restore(model.predict(in, points));
        double[] ys = new double[points];
        for (int i = 0; i < points; i++) {
            ys[i] = pred[i];
        }
        Charts.fit(raw.features(), raw.targets(), xs, ys, title + ": fit", file);
    }

    private static double[] span(float[] interleaved, int column, int points) {
        return span(interleaved, column, 2, points, 0.1);
    }

    /** {@code points} evenly spaced values over a column's range widened by {@code margin} of it on each side. */
    private static double[] span(float[] values, int column, int stride, int points, double margin) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = column; i < values.length; i += stride) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        double pad = Math.max(hi - lo, 1e-6) * margin;
        lo -= pad;
        hi += pad;
        double[] s = new double[points];
        for (int i = 0; i < points; i++) {
            s[i] = lo + (hi - lo) * i / (points - 1);
        }
        return s;
    }

    /** 0.001 rather than 1.00000e-03. */
    static String plain(double v) {
        if (v == 0 || Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** The curves of a finished run, from the trainer's history. */
    static Charts.Curves curves(History h, boolean classification) {
        double[] valLoss = h.size() > 0 && h.last().containsKey("val_loss") ? h.get("val_loss") : null;
        return new Charts.Curves(h.get("loss"), valLoss, classification ? h.get("accuracy") : null,
                classification && valLoss != null ? h.get("val_accuracy") : null);
    }

    /** history.csv: one row per epoch with the trainer's metrics and the epoch's wall time. */
    static void writeHistory(History h, List<Double> seconds, Path file) throws IOException {
        List<String> keys = new ArrayList<>(h.size() > 0 ? h.last().keySet() : List.of());
        StringBuilder sb = new StringBuilder("epoch");
        for (String k : keys) {
            sb.append(',').append(k);
        }
        sb.append(",seconds\n");
        for (int i = 0; i < h.size(); i++) {
            sb.append(h.epochs().get(i) + 1);
            Map<String, Double> m = h.epoch(i);
            for (String k : keys) {
                Double v = m.get(k);
                sb.append(',').append(v == null || v.isNaN() ? "" : Double.toString(v));
            }
            sb.append(String.format(Locale.ROOT, ",%.3f%n", i < seconds.size() ? seconds.get(i) : Double.NaN));
        }
        dendrite.nn.internal.AtomicFile.write(file, o -> o.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
