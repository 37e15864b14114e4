package dendrite.nn.internal;

import dendrite.nn.data.DatasetFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A CSV file split into fields, before any field is interpreted: the header (if any) and the
 * data rows, each with the 1-based line it starts on so that later errors can point at it.
 *
 * <p>Parsing follows RFC 4180: fields separated by the delimiter, records by LF or CRLF, a
 * field in double quotes may hold delimiters, line breaks and doubled quotes ({@code ""}).
 * Unquoted fields are trimmed of surrounding spaces; empty lines are skipped; a UTF-8 byte-order
 * mark is ignored. Every record must have as many fields as the first.
 *
 * <p>Memory is proportional to the data, not the text: the text is read as it streams in, and
 * every field that is a plain finite number is kept as a float (4 bytes). Only the columns the
 * caller asks for keep their text (class labels, which may be names), each distinct text once;
 * of the other columns, the first field that is not a number is kept, for the error message that
 * reading it as a number will give. {@link #parse(Reader, String, boolean, char)} keeps every
 * column's text.
 */
public final class CsvTable {
    private static final int CHUNK = 1 << 20;

    private final String source;
    private final List<String> header;
    private final int columns;
    private final int rows;
    private final long[] lines;
    /** Row-major values, chunks of {@link #CHUNK}; NaN where the field is not a plain finite number. */
    private final float[][] values;
    /** Per column: every row's text where the caller keeps it, else null. */
    private final String[][] texts;
    /** Per column whose text is not kept: the first row that is not a number (or -1), and its text. */
    private final int[] firstTextRow;
    private final String[] firstText;

    private CsvTable(Builder b) {
        this.source = b.source;
        this.header = b.header;
        this.columns = b.columns;
        this.rows = b.rows;
        this.lines = Arrays.copyOf(b.lines, b.rows);
        this.values = b.chunks.toArray(new float[0][]);
        this.texts = new String[columns][];
        for (int c = 0; c < columns; c++) {
            if (b.kept != null && b.kept[c] != null) {
                texts[c] = b.kept[c].toArray(new String[0]);
            }
        }
        this.firstTextRow = b.firstTextRow == null ? new int[0] : b.firstTextRow;
        this.firstText = b.firstText == null ? new String[0] : b.firstText;
    }

    /**
     * The first record alone (the column names), read without the rest of the text: for a caller
     * that chooses columns by name before reading a large file.
     */
    public static List<String> readHeader(Reader in, String source, char delimiter) throws IOException {
        String[] record = new Tokenizer(in, source, delimiter, Integer.MAX_VALUE).next();
        if (record == null) {
            throw DatasetFormatException.atLine(source, 1, -1, "empty file: expected a header row");
        }
        return List.of(record);
    }

    /**
     * Splits CSV text into fields, keeping every field's text. {@code hasHeader} takes the first
     * record as column names. Malformed text (an unclosed quote, a ragged row, bytes that are not
     * UTF-8 when the reader decodes strictly) is refused with a {@link DatasetFormatException}
     * naming the line.
     */
    public static CsvTable parse(Reader in, String source, boolean hasHeader, char delimiter) throws IOException {
        return parse(in, source, hasHeader, delimiter, h -> c -> true, Long.MAX_VALUE);
    }

    /**
     * Splits CSV text into fields as they stream in, keeping the text of the columns
     * {@code keepText} chooses (it is given the header, or null without one, once the first record
     * is read) and of no others. Refuses, naming the line it reached, a file whose values and kept
     * text would take more than {@code maxBytes} of heap, so that a file too large (or a
     * decompression bomb) ends in one line rather than an OutOfMemoryError.
     */
    public static CsvTable parse(Reader in, String source, boolean hasHeader, char delimiter,
            Function<List<String>, IntPredicate> keepText, long maxBytes) throws IOException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("CSV delimiter cannot be " + (delimiter == '"' ? "a quote" : "a line break"));
        }
        // A field may take at most an eighth of the budget, as characters (2 bytes each).
        int maxField = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1 << 16, maxBytes / 16));
        Tokenizer t = new Tokenizer(in, source, delimiter, maxField);
        Builder b = new Builder(source, maxBytes);
        String[] record;
        long firstLine = 0;
        while ((record = t.next()) != null) {
            if (b.columns < 0) {
                firstLine = t.recordLine;
                b.columns = record.length;
                if (hasHeader) {
                    b.header = List.of(record);
                    b.keep(keepText.apply(b.header));
                    continue;
                }
                b.keep(keepText.apply(null));
            } else if (record.length != b.columns) {
                throw DatasetFormatException.atLine(source, t.recordLine, -1, "row has " + record.length
                        + " fields, expected " + b.columns + " (as on line " + firstLine + ")");
            }
            b.add(record, t.recordLine);
        }
        if (b.columns < 0) {
            if (hasHeader) {
                throw DatasetFormatException.atLine(source, 1, -1, "empty file: expected a header row");
            }
            b.columns = 0;
        }
        return new CsvTable(b);
    }

    /** The file or source name used in messages. */
    public String source() {
        return source;
    }

    /** Column names from the header row, or {@code null} when the file has none. */
    public List<String> header() {
        return header;
    }

    /** Number of fields per row (0 for a file with no records). */
    public int columns() {
        return columns;
    }

    /** Number of data rows (the header not counted). */
    public int rowCount() {
        return rows;
    }

    /**
     * The value of a field that is a plain finite number (sign, digits, point, exponent, as
     * {@link #isPlainNumber} says), or NaN for any other field: then its text, if kept, says what
     * it is.
     */
    public float value(int row, int column) {
        long i = (long) row * columns + column;
        return values[(int) (i / CHUNK)][(int) (i % CHUNK)];
    }

    /**
     * Field {@code column} (0-based) of data row {@code row} (0-based) as written: always for the
     * columns whose text is kept, and for the others the first field that is not a number. Any
     * other field of those columns is a number, given in Java's shortest form.
     */
    public String field(int row, int column) {
        if (texts[column] != null) {
            return texts[column][row];
        }
        if (firstTextRow[column] == row) {
            return firstText[column];
        }
        float v = value(row, column);
        if (Float.isNaN(v)) {
            throw new IllegalStateException(source + ": the text of data row " + (row + 1) + ", column "
                    + (column + 1) + " was not kept");
        }
        return Float.toString(v);
    }

    /** The 1-based line on which data row {@code row} starts. */
    public long line(int row) {
        return lines[row];
    }

    /** A column's description for messages: its 1-based number and, with a header, its name. */
    public String describeColumn(int column) {
        return header == null ? "column " + (column + 1) : "column " + (column + 1) + " ('" + excerpt(header.get(column)) + "')";
    }

    /**
     * At most a short excerpt of a field or name, for messages: a field of ten megabytes must not
     * make a ten-megabyte error line.
     */
    public static String excerpt(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "... (" + s.length() + " characters)";
    }

    /** The header for messages: the first names, each an {@link #excerpt}, and how many more. */
    public String describeHeader() {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(20, header.size()); i++) {
            shown.add(excerpt(header.get(i)));
        }
        return shown + (header.size() > 20 ? " and " + (header.size() - 20) + " more" : "");
    }

    /** A {@link DatasetFormatException} for the field at {@code row} (0-based data row) and {@code column} (0-based). */
    public DatasetFormatException cellError(int row, int column, String problem) {
        return DatasetFormatException.atCell(source, lines[row], column + 1,
                header == null ? null : excerpt(header.get(column)), problem);
    }

    /**
     * A decimal number as a CSV holds it: sign, digits, point, exponent. Stricter than
     * {@link Double#parseDouble}, which also takes Java suffixes and hex ({@code 1f}, {@code 0x1p3}).
     */
    public static boolean isPlainNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** The rows as they are parsed: values in chunks, kept text, lines; with the heap they take. */
    private static final class Builder {
        final String source;
        final long maxBytes;
        List<String> header;
        int columns = -1;
        int rows;
        long[] lines = new long[1024];
        final List<float[]> chunks = new ArrayList<>();
        float[] chunk;
        int inChunk = CHUNK;
        List<String>[] kept;
        Map<String, String>[] distinct;
        int[] firstTextRow;
        String[] firstText;
        long bytes;

        Builder(String source, long maxBytes) {
            this.source = source;
            this.maxBytes = maxBytes;
        }

        @SuppressWarnings("unchecked")
        void keep(IntPredicate keepText) {
            kept = new List[columns];
            distinct = new Map[columns];
            firstTextRow = new int[columns];
            firstText = new String[columns];
            Arrays.fill(firstTextRow, -1);
            for (int c = 0; c < columns; c++) {
                if (keepText.test(c)) {
                    kept[c] = new ArrayList<>();
                    distinct[c] = new HashMap<>();
                }
            }
        }

        void add(String[] record, long line) throws DatasetFormatException {
            if (rows == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[rows] = line;
            for (int c = 0; c < columns; c++) {
                String s = record[c];
                float v = Float.NaN;
                if (isPlainNumber(s)) {
                    float f = (float) Double.parseDouble(s);
                    v = Float.isFinite(f) ? f : Float.NaN;
                }
                store(v);
                if (kept[c] != null) {
                    String shared = distinct[c].putIfAbsent(s, s);
                    if (shared == null) {
                        bytes += 40 + 2L * s.length();
                    }
                    kept[c].add(shared == null ? s : shared);
                    bytes += 8;
                } else if (Float.isNaN(v) && firstTextRow[c] < 0) {
                    firstTextRow[c] = rows;
                    firstText[c] = s;
                }
            }
            rows++;
            if (bytes > maxBytes) {
                throw DatasetFormatException.atLine(source, line, -1, "the values read up to this line already take "
                        + (bytes >> 20) + " MiB of heap, more than the " + (maxBytes >> 20) + " MiB this JVM can give a"
                        + " CSV file (maximum heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise it with -Xmx)");
            }
        }

        private void store(float v) {
            if (inChunk == CHUNK) {
                chunk = new float[CHUNK];
                chunks.add(chunk);
                inChunk = 0;
                bytes += 4L * CHUNK;
            }
            chunk[inChunk++] = v;
        }
    }

    /** Reads records one at a time, counting lines. */
    private static final class Tokenizer {
        private final Reader in;
        private final String source;
        private final char delimiter;
        private final int maxField;
        private final char[] buf = new char[8192];
        private int pos;
        private int limit;
        private long line = 1;
        private boolean first = true;
        long recordLine;

        Tokenizer(Reader in, String source, char delimiter, int maxField) {
            this.in = in;
            this.source = source;
            this.delimiter = delimiter;
            this.maxField = maxField;
        }

        /** Appends one character to a field, refusing a field longer than the heap can hold. */
        private void append(StringBuilder field, char c, int fieldNumber) throws DatasetFormatException {
            if (field.length() >= maxField) {
                throw DatasetFormatException.atLine(source, line, fieldNumber, "a field longer than " + maxField
                        + " characters, more than this JVM's heap can hold (raise it with -Xmx)");
            }
            field.append(c);
        }

        private int read() throws IOException {
            if (pos == limit) {
                try {
                    limit = in.read(buf, 0, buf.length);
                } catch (CharacterCodingException e) {
                    String detail = e.getMessage();
                    throw DatasetFormatException.atLine(source, line, -1, "not valid UTF-8 text"
                            + (detail == null ? "" : " (" + detail + ")"), e);
                }
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return -1;
                }
            }
            return buf[pos++];
        }

        private void unread() {
            pos--;
        }

        /** The next record, or null at the end; empty lines are skipped. */
        String[] next() throws IOException {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int c = read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            while (c == '\n' || c == '\r') {
                if (c == '\n') {
                    line++;
                } else {
                    c = read();
                    if (c != '\n') {
                        line++;
                        continue;
                    }
                    line++;
                }
                c = read();
            }
            if (c == -1) {
                return null;
            }
            recordLine = line;
            boolean quoted = false;
            while (true) {
                if (c == '"' && !quoted && isBlank(field)) {
                    quoted = true;
                    field.setLength(0);
                    readQuoted(field, fields.size() + 1);
                    c = read();
                    while (c == ' ' || c == '\t') {
                        c = read();
                    }
                    if (c != delimiter && c != '\n' && c != '\r' && c != -1) {
                        throw DatasetFormatException.atLine(source, line, fields.size() + 1,
                                "unexpected '" + (char) c + "' after a closing quote (a quote inside a quoted field is written \"\")");
                    }
                    continue;
                }
                if (c == delimiter || c == '\n' || c == '\r' || c == -1) {
                    fields.add(quoted ? field.toString() : field.toString().strip());
                    field.setLength(0);
                    quoted = false;
                    if (c == delimiter) {
                        c = read();
                        continue;
                    }
                    if (c == '\r') {
                        int n = read();
                        if (n != '\n' && n != -1) {
                            unread();
                        }
                    }
                    if (c != -1) {
                        line++;
                    }
                    return fields.toArray(new String[0]);
                }
                append(field, (char) c, fields.size() + 1);
                c = read();
            }
        }

        /** Reads a quoted field after its opening quote, up to and including the closing quote. */
        private void readQuoted(StringBuilder field, int fieldNumber) throws IOException {
            long startLine = line;
            while (true) {
                int c = read();
                if (c == -1) {
                    throw DatasetFormatException.atLine(source, startLine, -1,
                            "a quoted field opened on this line is never closed");
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        append(field, '"', fieldNumber);
                        continue;
                    }
                    if (n != -1) {
                        unread();
                    }
                    return;
                }
                if (c == '\n') {
                    line++;
                } else if (c == '\r') {
                    int n = read();
                    if (n != '\n' && n != -1) {
                        unread();
                    }
                    line++;
                    append(field, '\r', fieldNumber);
                    if (n == '\n') {
                        append(field, '\n', fieldNumber);
                    }
                    continue;
                }
                append(field, (char) c, fieldNumber);
            }
        }

        private static boolean isBlank(StringBuilder sb) {
            return sb.toString().isBlank();
        }
    }

    @Override
    public String toString() {
        return source + ": " + rows + " rows of " + columns + " columns"
                + (header == null ? "" : " " + describeHeader());
    }
}
