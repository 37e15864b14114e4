package dendrite.nn.data;

import dendrite.nn.internal.CsvTable;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import dendrite.nn.internal.StrictGzipInputStream;
import dendrite.nn.internal.StrictUtf8Reader;

/**
 * Reads a CSV file into a {@link Dataset}: which columns are features and which are targets is
 * said by name (with a header row) or by 0-based index.
 *
 * <ul>
 *   <li>{@link #label} — one column of class labels: whole numbers are class indices (a column of
 *       0..9 gives 10 classes); any other text (e.g. {@code setosa}) is mapped to classes in
 *       sorted order, and the names become the dataset's class names.</li>
 *   <li>{@link #oneHotLabels} — one 0/1 column per class, exactly one 1 per row.</li>
 *   <li>{@link #regressionTargets} — one or more numeric target columns.</li>
 *   <li>{@link #noTargets} — features only (for prediction).</li>
 * </ul>
 * Features are every other column unless {@link #features} names them. A missing or non-numeric
 * value is refused with a {@link DatasetFormatException} naming its line and column (1-based,
 * as a text editor counts them); NaN and infinity are refused too, naming the data row, so that
 * bad numbers are caught when the data is loaded rather than as a NaN loss many steps later.
 * Files are UTF-8; gzip files (magic {@code 1f 8b}) are decompressed. The text is parsed as it
 * streams in, each number kept as a float: a file takes about 4 bytes of heap per value, and one
 * whose values would take more than a third of the heap is refused in one line naming the size.
 *
 * <pre>{@code
 * Dataset iris = new CsvReader().label("species").read(Path.of("iris.csv"));
 * Dataset houses = new CsvReader().regressionTargets("price").read(Path.of("houses.csv"));
 * Dataset digits = new CsvReader().header(false).label(64).read(Path.of("digits.csv.gz"));
 * }</pre>
 */
public final class CsvReader {
    /**
     * More classes than this, inferred from a label column, is almost surely a wrong column (an ID, a
     * measurement), not a real task; and a confusion matrix of n classes holds n^2 counts. Give the
     * class names explicitly ({@link #classNames}) for a task that really has more.
     */
    static final int MAX_INFERRED_CLASSES = 1_000;

    private enum TargetKind { LABEL, ONE_HOT, REGRESSION, NONE }

    private boolean header = true;
    private char delimiter = ',';
    private TargetKind kind = TargetKind.NONE;
    private List<Object> targetColumns = List.of();
    private List<Object> featureColumns;
    private boolean labelsAsNames;
    private List<String> classNames;

    /** A reader for a comma-separated file with a header row and no targets configured yet. */
    public CsvReader() {
    }

    /**
     * Whether the first row holds column names (default true). Without one, columns are named by index.
     *
     * @param hasHeader {@code true} if the first record is a header of column names, {@code false} if it is data
     * @return this reader, for chaining
     */
    public CsvReader header(boolean hasHeader) {
        this.header = hasHeader;
        return this;
    }

    /**
     * The field separator (default {@code ,}); e.g. {@code ;} or a tab.
     *
     * @param delimiter the character between fields; not a double quote or a line break (refused when reading)
     * @return this reader, for chaining
     */
    public CsvReader delimiter(char delimiter) {
        this.delimiter = delimiter;
        return this;
    }

    /**
     * The class-label column, by header name.
     *
     * @param column the label column's name in the header row, exact and case-sensitive
     * @return this reader, for chaining
     * @throws NullPointerException if {@code column} is {@code null}
     */
    public CsvReader label(String column) {
        return targets(TargetKind.LABEL, List.of(column));
    }

    /**
     * The class-label column, by 0-based index.
     *
     * @param column the label column's 0-based index (checked against the file when reading)
     * @return this reader, for chaining
     */
    public CsvReader label(int column) {
        return targets(TargetKind.LABEL, List.of(column));
    }

    /**
     * One-hot label columns by name, one per class in class order.
     *
     * @param columns the header names of the 0/1 columns, column {@code i} standing for class {@code i}; at
     *        least one. Without {@link #classNames}, the names become the class names
     * @return this reader, for chaining
     * @throws IllegalArgumentException if no column is given
     */
    public CsvReader oneHotLabels(String... columns) {
        return targets(TargetKind.ONE_HOT, List.of((Object[]) columns));
    }

    /**
     * One-hot label columns by 0-based index, one per class in class order.
     *
     * @param columns the 0-based indices of the 0/1 columns, column {@code i} standing for class {@code i}; at
     *        least one
     * @return this reader, for chaining
     * @throws IllegalArgumentException if no column is given
     */
    public CsvReader oneHotLabels(int... columns) {
        return targets(TargetKind.ONE_HOT, boxed(columns));
    }

    /**
     * Regression target columns by name.
     *
     * @param columns the header names of the numeric target columns, in the order of the dataset's target
     *        values; at least one
     * @return this reader, for chaining
     * @throws IllegalArgumentException if no column is given
     */
    public CsvReader regressionTargets(String... columns) {
        return targets(TargetKind.REGRESSION, List.of((Object[]) columns));
    }

    /**
     * Regression target columns by 0-based index.
     *
     * @param columns the 0-based indices of the numeric target columns, in the order of the dataset's target
     *        values; at least one
     * @return this reader, for chaining
     * @throws IllegalArgumentException if no column is given
     */
    public CsvReader regressionTargets(int... columns) {
        return targets(TargetKind.REGRESSION, boxed(columns));
    }

    /**
     * No targets: a features-only dataset (regression with 0 target values), e.g. for prediction.
     *
     * @return this reader, for chaining
     */
    public CsvReader noTargets() {
        return targets(TargetKind.NONE, List.of());
    }

    /**
     * The feature columns by name, in this order (default: every column that is not a target).
     *
     * @param columns the header names of the feature columns, in the order of the dataset's features; none may
     *        also be a target
     * @return this reader, for chaining
     */
    public CsvReader features(String... columns) {
        this.featureColumns = List.of((Object[]) columns);
        return this;
    }

    /**
     * The feature columns by 0-based index, in this order.
     *
     * @param columns the 0-based indices of the feature columns, in the order of the dataset's features; none
     *        may also be a target
     * @return this reader, for chaining
     */
    public CsvReader features(int... columns) {
        this.featureColumns = boxed(columns);
        return this;
    }

    /**
     * Treat labels as names even when they are numbers (e.g. labels 1..3 become classes 0..2 in sorted order).
     *
     * <p>Names are sorted as text, so labels 1..10 give the classes {@code 1, 10, 2, ...}.
     *
     * @return this reader, for chaining
     */
    public CsvReader labelsAsNames() {
        this.labelsAsNames = true;
        return this;
    }

    /**
     * Names for integer class labels (e.g. "T-shirt/top", ...); their count also sets the number of classes.
     *
     * @param names the class names, name {@code i} for label {@code i}; copied, no {@code null} elements
     * @return this reader, for chaining
     * @throws NullPointerException if {@code names} or one of its elements is {@code null}
     */
    public CsvReader classNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    private CsvReader targets(TargetKind k, List<Object> columns) {
        if (k != TargetKind.NONE && columns.isEmpty()) {
            throw new IllegalArgumentException("CSV " + k.name().toLowerCase(java.util.Locale.ROOT) + " targets need at least one column");
        }
        this.kind = k;
        this.targetColumns = columns;
        return this;
    }

    private static List<Object> boxed(int[] columns) {
        List<Object> l = new ArrayList<>();
        for (int c : columns) {
            l.add(c);
        }
        return l;
    }

    /**
     * Reads a UTF-8 CSV file, gzip-compressed or not. The dataset is named after the file.
     *
     * @param file the file to read; {@code .csv}, {@code .gz} and {@code .csv.gz} endings are dropped from the
     *        dataset's name
     * @return a new dataset with one sample per data row, features of shape {@code [number of feature columns]}
     * @throws DatasetFormatException if a configured column does not exist, a value is missing, not a number
     *         or not finite, or the labels do not make a valid classification (naming line and column)
     * @throws IOException if the file cannot be read
     */
    public Dataset read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            name = name.replaceFirst("(\\.csv)?(\\.gz)?$", "");
            return read(in, file.toString(), name);
        }
    }

    /**
     * The column names of a UTF-8 CSV file with a header (gzip-compressed or not), read from its
     * first record only, with this reader's delimiter: to choose feature columns by name before
     * reading a large file.
     *
     * @param file the file to read; its first record is taken as the header whatever {@link #header} says
     * @return the header's fields, in column order
     * @throws DatasetFormatException if the header is not valid UTF-8 or the gzip data is corrupt
     * @throws IOException if the file cannot be read
     */
    public List<String> columnNames(Path file) throws IOException {
        boolean gzip = false;
        try (InputStream raw = Files.newInputStream(file)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream body = gzip ? new StrictGzipInputStream(in) : in;
            return CsvTable.readHeader(new StrictUtf8Reader(body), file.toString(), delimiter);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw DatasetFormatException.atLine(file.toString(), 1, -1, "not valid UTF-8 text in the header");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // bad or truncated gzip data, as in read; any other IOException is the file failing
            if (gzip) {
                throw DatasetFormatException.of(file.toString(), "corrupt gzip data: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Reads UTF-8 CSV bytes (gzip-compressed or not) from a stream; {@code source} names it in messages.
     *
     * @param in the stream to read to its end; not closed
     * @param source a name for the data in error messages, e.g. a file name or URL
     * @param datasetName the new dataset's name
     * @return a new dataset with one sample per data row, features of shape {@code [number of feature columns]}
     * @throws DatasetFormatException if a configured column does not exist, a value is missing, not a number
     *         or not finite, or the labels do not make a valid classification (naming line and column)
     * @throws IOException if the stream cannot be read
     */
    public Dataset read(InputStream in, String source, String datasetName) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            InputStream body = gzip ? new StrictGzipInputStream(buffered) : buffered;
            return read(new StrictUtf8Reader(body), source, datasetName);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // what the gzip stream throws for bad or truncated data; any other IOException is the source failing
            if (gzip) {
                throw DatasetFormatException.of(source, "corrupt gzip data: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The heap a CSV file's values and kept text may take: a third of the JVM's maximum, leaving
     * room for the dataset's arrays made from them and for what the program does next.
     */
    private static long heapBudget() {
        return Runtime.getRuntime().maxMemory() / 3;
    }

    /**
     * Reads CSV text as it streams from {@code in}; {@code source} names it in messages. Values are
     * kept as floats, and text only for the target columns (see {@link CsvTable}), so the heap
     * needed is about 4 bytes per value; a file whose values would not fit is refused in one line.
     *
     * @param in the text to read to its end; not closed
     * @param source a name for the data in error messages, e.g. a file name or URL
     * @param datasetName the new dataset's name
     * @return a new dataset with one sample per data row, features of shape {@code [number of feature columns]}
     * @throws DatasetFormatException if a configured column does not exist, a value is missing, not a number
     *         or not finite, or the labels do not make a valid classification (naming line and column)
     * @throws IllegalArgumentException if the delimiter is a double quote or a line break
     * @throws IOException if the text cannot be read
     */
    public Dataset read(Reader in, String source, String datasetName) throws IOException {
        return toDataset(CsvTable.parse(in, source, header, delimiter, this::targetColumns, heapBudget()), datasetName);
    }

    /**
     * The columns whose text is kept: the targets (labels may be names, and messages quote them).
     * Columns that cannot be resolved are left to {@link #resolve}, which names them.
     */
    private IntPredicate targetColumns(List<String> headerNames) {
        Set<Integer> kept = new HashSet<>();
        for (Object c : targetColumns) {
            if (c instanceof Integer index) {
                kept.add(index);
            } else if (headerNames != null) {
                kept.add(headerNames.indexOf((String) c));
            }
        }
        return kept::contains;
    }

    /** Interprets the fields of a parsed table as configured. */
    Dataset toDataset(CsvTable table, String datasetName) throws DatasetFormatException {
        int[] targets = resolve(table, targetColumns);
        Set<Integer> targetSet = new LinkedHashSet<>();
        for (int t : targets) {
            if (!targetSet.add(t)) {
                throw DatasetFormatException.of(table.source(), table.describeColumn(t) + " is named twice as a target");
            }
        }
        int[] features;
        if (featureColumns != null) {
            features = resolve(table, featureColumns);
            for (int f : features) {
                if (targetSet.contains(f)) {
                    throw DatasetFormatException.of(table.source(),
                            table.describeColumn(f) + " is both a feature and a target");
                }
            }
        } else {
            features = new int[table.columns() - targets.length];
            int k = 0;
            for (int c = 0; c < table.columns(); c++) {
                if (!targetSet.contains(c)) {
                    features[k++] = c;
                }
            }
        }
        if (features.length == 0) {
            throw DatasetFormatException.of(table.source(), "no feature columns (the file has "
                    + table.columns() + " columns, " + targets.length + " of them targets)");
        }
        int n = table.rowCount();
        if (n == 0) {
            throw DatasetFormatException.of(table.source(), "no data rows");
        }
        float[] x = new float[Math.multiplyExact(n, features.length)];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < features.length; j++) {
                x[r * features.length + j] = number(table, r, features[j], "value");
            }
        }
        int[] shape = {features.length};
        return switch (kind) {
            case NONE -> Dataset.regression(datasetName, x, shape, new float[0], 0);
            case REGRESSION -> {
                float[] y = new float[n * targets.length];
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < targets.length; j++) {
                        y[r * targets.length + j] = number(table, r, targets[j], "target");
                    }
                }
                yield Dataset.regression(datasetName, x, shape, y, targets.length);
            }
            case ONE_HOT -> oneHot(table, targets, datasetName, x, shape);
            case LABEL -> labels(table, targets[0], datasetName, x, shape);
        };
    }

    private Dataset oneHot(CsvTable table, int[] columns, String datasetName, float[] x, int[] shape)
            throws DatasetFormatException {
        int n = table.rowCount();
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            int hot = -1;
            for (int j = 0; j < columns.length; j++) {
                float v = number(table, r, columns[j], "one-hot label");
                if (v != 0 && v != 1) {
                    throw table.cellError(r, columns[j], "one-hot label " + abbreviate(table.field(r, columns[j]))
                            + " is neither 0 nor 1");
                }
                if (v == 1) {
                    if (hot >= 0) {
                        throw table.cellError(r, columns[j],
                                "one-hot labels of data row " + (r + 1) + " have more than one 1 (also in "
                                        + table.describeColumn(columns[hot]) + ")");
                    }
                    hot = j;
                }
            }
            if (hot < 0) {
                throw DatasetFormatException.atLine(table.source(), table.line(r), -1,
                        "one-hot labels of data row " + (r + 1) + " are all 0 (expected exactly one 1)");
            }
            labels[r] = hot;
        }
        List<String> names = classNames;
        if (names == null && table.header() != null) {
            names = new ArrayList<>();
            for (int c : columns) {
                names.add(table.header().get(c));
            }
        }
        return Dataset.classification(datasetName, x, shape, labels, columns.length, names);
    }

    private Dataset labels(CsvTable table, int column, String datasetName, float[] x, int[] shape)
            throws DatasetFormatException {
        int n = table.rowCount();
        String[] raw = new String[n];
        boolean allNumbers = !labelsAsNames;
        for (int r = 0; r < n; r++) {
            raw[r] = table.field(r, column);
            if (raw[r].isEmpty()) {
                throw table.cellError(r, column, "missing label");
            }
            allNumbers &= isPlainNumber(raw[r]);
        }
        if (!allNumbers && !labelsAsNames) {
            refuseMissingMarkersAmongNumbers(table, column, raw);
        }
        int[] labels = new int[n];
        if (!allNumbers) {
            TreeSet<String> distinct = new TreeSet<>(Arrays.asList(raw));
            if (classNames == null && distinct.size() > MAX_INFERRED_CLASSES) {
                throw DatasetFormatException.of(table.source(), "label " + table.describeColumn(column) + " has "
                        + distinct.size() + " distinct values: more than " + MAX_INFERRED_CLASSES + " classes is refused"
                        + " (is it the right column? an ID or a measurement is no class label; for a number to"
                        + " predict, use regression targets)");
            }
            List<String> names = new ArrayList<>(distinct);
            Map<String, Integer> classOf = new HashMap<>();
            for (String name : names) {
                classOf.put(name, classOf.size());
            }
            for (int r = 0; r < n; r++) {
                labels[r] = classOf.get(raw[r]);
            }
            if (classNames == null) {
                refuseSingleValue(table, column, raw);
            }
            return Dataset.classification(datasetName, x, shape, labels, names.size(), names);
        }
        int max = 0;
        int limit = classNames != null ? classNames.size() : MAX_INFERRED_CLASSES;
        for (int r = 0; r < n; r++) {
            double v = Double.parseDouble(raw[r]);
            String where = "label " + abbreviate(raw[r]);
            if (v != Math.rint(v)) {
                throw table.cellError(r, column,
                        where + " is not a whole number (for continuous targets use regressionTargets)");
            }
            if (v < 0) {
                throw table.cellError(r, column,
                        where + " is negative: class labels are numbered from 0");
            }
            if (v >= limit) {
                throw table.cellError(r, column, where
                        + (classNames != null ? " is not below the " + limit + " class names given"
                                : " is too large for a class index (at most " + limit
                                        + " classes; use labelsAsNames() if these are names)"));
            }
            labels[r] = (int) v;
            max = Math.max(max, labels[r]);
        }
        if (classNames == null) {
            refuseSingleValue(table, column, raw);
        }
        int numClasses = classNames != null ? classNames.size() : max + 1;
        return Dataset.classification(datasetName, x, shape, labels, numClasses, classNames);
    }

    /**
     * In a column of whole-number labels, {@code nan}, {@code NA} or {@code null} marks a missing
     * label; taken as names, it would silently become a class of its own (and the numbers names).
     */
    private static void refuseMissingMarkersAmongNumbers(CsvTable table, int column, String[] raw)
            throws DatasetFormatException {
        int firstMarker = -1;
        boolean anyNumber = false;
        for (int r = 0; r < raw.length; r++) {
            if (isNonFiniteWord(raw[r]) || isMissingWord(raw[r])) {
                firstMarker = firstMarker < 0 ? r : firstMarker;
            } else if (isPlainNumber(raw[r])) {
                anyNumber = true;
            } else {
                return;   // names, not numbers: "nan" may be one of them
            }
        }
        if (firstMarker >= 0 && anyNumber) {
            throw table.cellError(firstMarker, column, "label " + abbreviate(raw[firstMarker]) + " in data row "
                    + (firstMarker + 1) + " is not a class: the other labels are whole numbers, so this marks a "
                    + "missing label; remove the row or fill in its class");
        }
    }

    private static boolean isMissingWord(String s) {
        String w = s.toLowerCase(java.util.Locale.ROOT);
        return w.equals("na") || w.equals("n/a") || w.equals("null") || w.equals("none") || w.equals("?");
    }

    /** Classes inferred from one value: nothing to tell apart, almost always the wrong column. */
    private static void refuseSingleValue(CsvTable table, int column, String[] raw) throws DatasetFormatException {
        for (String v : raw) {
            if (!v.equals(raw[0])) {
                return;
            }
        }
        throw DatasetFormatException.of(table.source(), "label " + table.describeColumn(column) + " has the single value "
                + abbreviate(raw[0]) + " in all " + raw.length + " data rows: a classifier needs at least two classes"
                + " (is it the right column? for a number to predict, use regression targets)");
    }

    /** Parses one numeric field, refusing missing, non-numeric and non-finite values with line and column. */
    private static float number(CsvTable table, int row, int column, String what) throws DatasetFormatException {
        float parsed = table.value(row, column);
        if (!Float.isNaN(parsed)) {
            return parsed;
        }
        String s = table.field(row, column);
        if (s.isEmpty()) {
            throw table.cellError(row, column, "missing " + what);
        }
        if (isNonFiniteWord(s)) {
            throw table.cellError(row, column, what + " " + s
                    + " in data row " + (row + 1) + " is not finite: NaN and infinity are refused in data");
        }
        if (!isPlainNumber(s)) {
            throw table.cellError(row, column,
                    "not a number: \"" + abbreviate(s) + "\"");
        }
        float v = (float) Double.parseDouble(s);
        if (!Float.isFinite(v)) {
            throw table.cellError(row, column, what + " " + abbreviate(s)
                    + " in data row " + (row + 1) + " is too large for a float (beyond ±3.4e38)");
        }
        return v;
    }

    /** A decimal number as a CSV holds it (see {@link CsvTable#isPlainNumber}). */
    static boolean isPlainNumber(String s) {
        return CsvTable.isPlainNumber(s);
    }

    private static boolean isNonFiniteWord(String s) {
        String w = s.toLowerCase(java.util.Locale.ROOT);
        if (w.startsWith("+") || w.startsWith("-")) {
            w = w.substring(1);
        }
        return w.equals("nan") || w.equals("inf") || w.equals("infinity");
    }

    private static String abbreviate(String s) {
        return CsvTable.excerpt(s);
    }

    private int[] resolve(CsvTable table, List<Object> columns) throws DatasetFormatException {
        int[] out = new int[columns.size()];
        for (int i = 0; i < out.length; i++) {
            Object c = columns.get(i);
            if (c instanceof Integer index) {
                if (index < 0 || index >= table.columns()) {
                    throw DatasetFormatException.of(table.source(), "no column with index " + index + " (0-based): the file has "
                            + table.columns() + " columns");
                }
                out[i] = index;
            } else {
                String name = (String) c;
                if (table.header() == null) {
                    throw DatasetFormatException.of(table.source(), "column '" + name
                            + "' asked by name, but the file is read without a header row: give its index instead");
                }
                int index = table.header().indexOf(name);
                if (index < 0) {
                    throw DatasetFormatException.atLine(table.source(), 1, -1, "no column named '" + name
                            + "'; the header has " + table.describeHeader());
                }
                out[i] = index;
            }
        }
        return out;
    }
}
