package dendrite.cli;

import dendrite.nn.data.Cifar10Folder;
import dendrite.nn.data.ImageFolder;
import dendrite.nn.data.CsvReader;
import dendrite.nn.data.DataSplit;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Digits;
import dendrite.nn.data.FashionMnist;
import dendrite.nn.data.MnistFolder;
import dendrite.nn.data.Splits;
import dendrite.nn.data.Synthetic;
import dendrite.nn.data.TextCorpus;
import dendrite.nn.data.TimeSeries;
import dendrite.nn.data.TrainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code --dataset} names, and how it is loaded and split into training, validation and
 * test parts.
 *
 * <ul>
 *   <li>{@code digits}: the 8×8 digits bundled in the jar (pixels in [0, 1]);</li>
 *   <li>{@code fashion-mnist} (Debian's {@code dataset-fashion-mnist}) or
 *       {@code fashion-mnist:<folder>}, and {@code mnist:<folder>}: IDX files, pixels in [0, 1],
 *       with their own fixed test part;</li>
 *   <li>{@code images:<folder>}: one subfolder of pictures per class, read at {@code --image}'s size
 *       (3x32x32 unless given; one channel is grayscale), pixels in [0, 1];</li>
 *   <li>{@code csv:<file>}: a CSV file with a header, the label column named by {@code --label}
 *       (classification) or {@code --target} (regression);</li>
 *   <li>a synthetic set: {@code xor}, {@code moons}, {@code circles}, {@code spirals},
 *       {@code spirals:<arms>}, {@code regression} (also called {@code sine}), {@code server-load};</li>
 *   <li>a time series: {@code series:<file>} (a CSV, one row per step, its columns the series) or
 *       {@code server-load-series} (the server-load metrics hour by hour, 16 weeks), cut into
 *       windows of {@code --window} steps whose target is {@code --target} {@code --horizon} steps
 *       later, and split in time order (train, then validation, then test);</li>
 *   <li>{@code text:<file>}: a UTF-8 text, as windows of {@code --window} characters from every
 *       {@code --stride}-th one, each classified by the character after it, split in text order.</li>
 * </ul>
 * Sets without a fixed test part are split with a seed, stratified by class, so the same seed
 * gives the same test part in {@code train} and later in {@code eval}.
 */
record DataSource(Kind kind, String spec, String argument, int[] imageShape) {

    enum Kind { DIGITS, FASHION_MNIST, MNIST, CIFAR10, CSV, SYNTHETIC, SERIES, TEXT, IMAGES }

    /** The size an image folder's pictures are resized to when none is given: CIFAR's, in colour. */
    static final int[] DEFAULT_IMAGE_SHAPE = {3, 32, 32};

    DataSource(Kind kind, String spec, String argument) {
        this(kind, spec, argument, DEFAULT_IMAGE_SHAPE);
    }

    /** This source with an image folder's pictures resized to {@code [channels, height, width]} (1: grayscale). */
    DataSource withImageShape(int[] shape) {
        return new DataSource(kind, spec, argument, shape.clone());
    }

    /** Hours of the generated server-load series: 16 weeks. */
    static final int SERVER_LOAD_SERIES_HOURS = 24 * 7 * 16;

    /** The names accepted, for messages. */
    static final String KNOWN = "digits, fashion-mnist, mnist:<folder>, cifar10:<folder>, images:<folder>, csv:<file>,"
            + " xor, moons, circles,"
            + " spirals, regression, server-load, series:<file>, server-load-series, text:<file>";

    /** Parses a {@code --dataset} value; an unknown name is a one-line error listing the known ones. */
    static DataSource parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String head = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        if (arg != null && arg.isBlank() && !head.equals("spirals")) {
            throw new BadInputException("dataset '" + spec + "': nothing after the ':'; expected e.g. csv:data.csv or mnist:/data/mnist");
        }
        return switch (head) {
            case "digits" -> noArgument(Kind.DIGITS, s, arg);
            case "fashion-mnist", "fashion" -> new DataSource(Kind.FASHION_MNIST, s, arg);
            case "mnist" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'mnist' needs its folder: --dataset mnist:<folder> (a folder holding "
                            + String.join(", ", MnistFolder.FILES) + ")");
                }
                yield new DataSource(Kind.MNIST, s, arg);
            }
            case "cifar10", "cifar-10" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'cifar10' needs its folder: --dataset cifar10:<folder> (the binary"
                            + " version, cifar-10-batches-bin: data_batch_1.bin ... data_batch_5.bin, test_batch.bin)");
                }
                yield new DataSource(Kind.CIFAR10, s, arg);
            }
            case "images" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'images' needs its folder: --dataset images:<folder> (one"
                            + " subfolder of PNG, JPEG, BMP or GIF files per class; --image sets the size, 3x32x32 by"
                            + " default)");
                }
                yield new DataSource(Kind.IMAGES, s, arg);
            }
            case "csv" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'csv' needs its file: --dataset csv:<file> --label <column>");
                }
                yield new DataSource(Kind.CSV, s, arg);
            }
            case "series" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'series' needs its file: --dataset series:<file> --target <column>"
                            + " (a CSV, one row per time step)");
                }
                yield new DataSource(Kind.SERIES, s, arg);
            }
            case "server-load-series" -> noArgument(Kind.SERIES, s.toLowerCase(Locale.ROOT), arg);
            case "text" -> {
                if (arg == null) {
                    throw new BadInputException("dataset 'text' needs its file: --dataset text:<file> (any UTF-8 text, e.g."
                            + " /usr/share/dict/words from Debian's wamerican)");
                }
                yield new DataSource(Kind.TEXT, s, arg);
            }
            case "xor", "moons", "circles", "spirals", "sine", "regression", "server-load" -> {
                if (arg != null && !head.equals("spirals")) {
                    throw new BadInputException("dataset '" + spec + "': " + head + " takes no ':' argument");
                }
                yield new DataSource(Kind.SYNTHETIC, s.toLowerCase(Locale.ROOT), arg);
            }
            default -> throw new BadInputException("unknown dataset '" + spec + "'; known: " + KNOWN);
        };
    }

    private static DataSource noArgument(Kind kind, String spec, String arg) {
        if (arg != null) {
            throw new BadInputException("dataset '" + spec + "' takes no ':' argument");
        }
        return new DataSource(kind, spec, null);
    }

    /** A short name for folders and chart titles: {@code digits}, {@code moons}, the CSV file's base name. */
    String shortName() {
        return switch (kind) {
            case DIGITS -> "digits";
            case FASHION_MNIST -> "fashion-mnist";
            case MNIST -> "mnist";
            case CIFAR10 -> "cifar10";
            case IMAGES -> "images-" + Path.of(argument).toAbsolutePath().normalize().getFileName();
            case CSV -> {
                String f = Path.of(argument).getFileName().toString();
                int dot = f.indexOf('.');
                yield dot > 0 ? f.substring(0, dot) : f;
            }
            case SYNTHETIC -> spec.replace(':', '-');
            case SERIES -> argument == null ? spec : "series-" + fileStem(argument);
            case TEXT -> "text-" + fileStem(argument);
        };
    }

    private static String fileStem(String file) {
        String f = Path.of(file).getFileName().toString();
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** Whether the set comes with its own test part (MNIST-format sets). */
    boolean hasFixedTestPart() {
        return kind == Kind.FASHION_MNIST || kind == Kind.MNIST || kind == Kind.CIFAR10;
    }

    /**
     * How to read a CSV's targets; ignored for the other kinds. For a series, {@code window} and
     * {@code horizon} say how it is cut into samples (unused otherwise).
     */
    record CsvColumns(String label, String target, char delimiter, List<String> drop, int window, int horizon, int stride,
            int wordVocabulary) {
        /** The window of a series when none is given. */
        static final int DEFAULT_WINDOW = 48;
        /** The window of a text when none is given. */
        static final int DEFAULT_TEXT_WINDOW = 32;
        /** Characters between one text window's start and the next's when none is given. */
        static final int DEFAULT_STRIDE = 3;

        CsvColumns(String label, String target) {
            this(label, target, ',', List.of());
        }

        CsvColumns(String label, String target, char delimiter) {
            this(label, target, delimiter, List.of());
        }

        CsvColumns(String label, String target, char delimiter, List<String> drop) {
            this(label, target, delimiter, drop, DEFAULT_WINDOW, 1, DEFAULT_STRIDE, 0);
        }

        CsvReader reader() {
            CsvReader r = new CsvReader().delimiter(delimiter);
            if (label != null && target != null) {
                throw new BadInputException("give either --label (classification) or --target (regression), not both");
            }
            if (label != null) {
                return isIndex(label) ? r.label(Integer.parseInt(label)) : r.label(label);
            }
            if (target != null) {
                String[] cols = target.split(",");
                boolean allIndices = true;
                for (String c : cols) {
                    allIndices &= isIndex(c.trim());
                }
                if (allIndices) {
                    int[] idx = new int[cols.length];
                    for (int i = 0; i < cols.length; i++) {
                        idx[i] = Integer.parseInt(cols[i].trim());
                    }
                    return r.regressionTargets(idx);
                }
                return r.regressionTargets(trimmed(cols));
            }
            throw new BadInputException("a CSV dataset needs --label <column> (class labels) or --target <column> (regression values)");
        }

        /**
         * A column given by name or, as {@code --label 2} allows, by 0-based index, as its name in
         * {@code header} (a name the header does not have comes back as it is).
         */
        static String columnName(List<String> header, String column) {
            return !header.contains(column) && isIndex(column) && Integer.parseInt(column) < header.size()
                    ? header.get(Integer.parseInt(column)) : column;
        }

        static boolean isIndex(String s) {
            return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 9;
        }

        private static String[] trimmed(String[] cols) {
            List<String> out = new ArrayList<>();
            for (String c : cols) {
                out.add(c.trim());
            }
            return out.toArray(String[]::new);
        }
    }

    /** The whole dataset (for {@code eval --part all}); for MNIST-format sets, the test part. */
    Dataset loadAll(CsvColumns columns, long seed) throws IOException {
        return switch (kind) {
            case DIGITS -> Digits.load();
            case FASHION_MNIST, MNIST, CIFAR10 -> loadImages().test();
            case CSV -> readCsv(columns);
            case SYNTHETIC -> synthetic(seed);
            case SERIES -> windows(columns, seed);
            case TEXT -> textWindows(columns);
            case IMAGES -> imageFolder();
        };
    }

    /** An image folder's pictures at {@link #imageShape}; grayscale when it has one channel. */
    private Dataset imageFolder() throws IOException {
        if (imageShape[0] != 1 && imageShape[0] != 3) {
            throw new BadInputException("--image " + imageShape[0] + "x" + imageShape[1] + "x" + imageShape[2]
                    + ": an image folder's pictures have 1 channel (grayscale) or 3 (RGB)");
        }
        return ImageFolder.load(Path.of(argument), imageShape[1], imageShape[2],
                imageShape[0] == 1 ? ImageFolder.Color.GRAYSCALE : ImageFolder.Color.RGB);
    }

    /** The text this names: its characters, or with a word vocabulary its words. */
    TextCorpus text(int wordVocabulary) throws IOException {
        Path file = Path.of(argument);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(Files.exists(file) ? file + " is not a file" : "no such file: " + file);
        }
        return wordVocabulary > 0 ? TextCorpus.words(file.getFileName().toString(), TextCorpus.readUtf8(file), wordVocabulary)
                : TextCorpus.read(file);
    }

    private Dataset textWindows(CsvColumns columns) throws IOException {
        if (columns.label() != null || columns.target() != null) {
            throw new BadInputException("a text's classes are its characters: drop --label and --target");
        }
        try {
            return text(columns.wordVocabulary()).windows(columns.window(), columns.stride());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** The series this names: the CSV file's columns, or the generated server-load series. */
    TimeSeries series(CsvColumns columns, long seed) throws IOException {
        if (argument == null) {
            return Synthetic.serverLoadSeries(SERVER_LOAD_SERIES_HOURS, seed);
        }
        Path file = Path.of(argument);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(Files.exists(file) ? file + " is not a file" : "no such file: " + file);
        }
        return TimeSeries.readCsv(file, columns.delimiter());
    }

    /** The target column of a series: --target, or "load" for the generated one. */
    String seriesTarget(CsvColumns columns) {
        if (columns.label() != null) {
            throw new BadInputException("a series is forecast, not classified: give --target <column> instead of --label");
        }
        if (columns.target() != null) {
            if (columns.target().contains(",")) {
                throw new BadInputException("--target " + columns.target() + ": a series forecasts one column");
            }
            return columns.target().trim();
        }
        if (argument == null) {
            return "load";
        }
        throw new BadInputException("a series needs --target <column>, the column to forecast");
    }

    /** The series' inputs: every column but the dropped ones (the target included: its past helps forecast it). */
    List<String> seriesInputs(TimeSeries series, CsvColumns columns) {
        for (String d : columns.drop()) {
            if (!series.columns().contains(d)) {
                throw new BadInputException("--drop " + d + ": " + series.name() + " has no such column; its columns are "
                        + String.join(", ", series.columns()));
            }
        }
        List<String> inputs = series.columnsExcept(columns.drop());
        if (inputs.isEmpty()) {
            throw new BadInputException(series.name() + " has no input columns left after --drop");
        }
        return inputs;
    }

    private Dataset windows(CsvColumns columns, long seed) throws IOException {
        TimeSeries series = series(columns, seed);
        try {
            return series.windows(seriesInputs(series, columns), seriesTarget(columns), columns.window(), columns.horizon());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /**
     * Loads and splits: MNIST-format sets keep their test part and take the validation part from
     * their training part; the others are split (stratified for classes) with {@code seed}.
     */
    DataSplit load(CsvColumns columns, long seed, double validationFraction, double testFraction) throws IOException {
        if (hasFixedTestPart()) {
            return loadImages().withValidation(validationFraction, seed);
        }
        Dataset all = switch (kind) {
            case DIGITS -> Digits.load();
            case CSV -> readCsv(columns);
            case SYNTHETIC -> synthetic(seed);
            case SERIES -> windows(columns, seed);
            case TEXT -> textWindows(columns);
            case IMAGES -> imageFolder();
            default -> throw new AssertionError(kind);
        };
        if (all.size() < 3) {
            throw new BadInputException("dataset " + spec + " has " + all.size() + " samples: too few to split into training, validation and test parts");
        }
        if (kind == Kind.SERIES || kind == Kind.TEXT) {
            return Splits.chronological(all, validationFraction, testFraction);
        }
        return all.isClassification()
                ? Splits.stratified(all, validationFraction, testFraction, seed)
                : Splits.random(all, validationFraction, testFraction, seed);
    }

    private TrainTest loadImages() throws IOException {
        if (kind == Kind.FASHION_MNIST) {
            return argument == null ? FashionMnist.load() : FashionMnist.load(Path.of(argument));
        }
        if (kind == Kind.CIFAR10) {
            return Cifar10Folder.load(Path.of(argument));
        }
        return MnistFolder.load(Path.of(argument));
    }

    private Dataset readCsv(CsvColumns columns) throws IOException {
        Path file = Path.of(argument);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(Files.exists(file) ? file + " is not a file" : "no such file: " + file);
        }
        if (columns.drop().isEmpty()) {
            return columns.reader().read(file);
        }
        // --drop: the features are every column but the dropped ones and the label or target columns.
        List<String> header = new CsvReader().delimiter(columns.delimiter()).columnNames(file);
        for (String d : columns.drop()) {
            if (!header.contains(d)) {
                throw new BadInputException("--drop " + d + ": " + file + " has no such column; its columns are "
                        + String.join(", ", header));
            }
        }
        java.util.Set<String> excluded = new java.util.HashSet<>(columns.drop());
        for (String t : (columns.label() != null ? columns.label() : columns.target() != null ? columns.target() : "")
                .split(",")) {
            excluded.add(CsvColumns.columnName(header, t.trim()));
        }
        List<String> features = new ArrayList<>();
        for (String h : header) {
            if (!excluded.contains(h)) {
                features.add(h);
            }
        }
        if (features.isEmpty()) {
            throw new BadInputException(file + " has no feature columns left after --drop");
        }
        return columns.reader().features(features.toArray(String[]::new)).read(file);
    }

    private Dataset synthetic(long seed) {
        String name = spec.equals("regression") ? "sine" : spec;
        return Synthetic.byName(name, seed);
    }
}
