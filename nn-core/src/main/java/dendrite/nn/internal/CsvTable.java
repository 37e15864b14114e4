package dendrite.nn.internal;

import dendrite.nn.data.DatasetFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file split into fields, before any field is interpreted: the header (if any) and the
 * data rows, each with the 1-based line it starts on so that later errors can point at it.
 *
 * <p>Parsing follows RFC 4180: fields separated by the delimiter, records by LF or CRLF, a
 * field in double quotes may hold delimiters, line breaks and doubled quotes ({@code ""}).
 * Unquoted fields are trimmed of surrounding spaces; empty lines are skipped; a UTF-8 byte-order
 * mark is ignored. Every record must have as many fields as the first.
 */
public final class CsvTable {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final long[] lines;

    private CsvTable(String source, List<String> header, List<String[]> rows, long[] lines) {
        this.source = source;
        this.header = header;
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * The first record alone (the column names), read without the rest of the text: for a caller
     * that chooses columns by name before reading a large file.
     */
    public static List<String> readHeader(Reader in, String source, char delimiter) throws IOException {
        String[] record = new Tokenizer(in, source, delimiter).next();
        if (record == null) {
            throw DatasetFormatException.atLine(source, 1, -1, "empty file: expected a header row");
        }
        return List.of(record);
    }

    /**
     * Splits CSV text into fields. {@code hasHeader} takes the first record as column names.
     * Malformed text (an unclosed quote, a ragged row, bytes that are not UTF-8 when the reader
     * decodes strictly) is refused with a {@link DatasetFormatException} naming the line.
     */
    public static CsvTable parse(Reader in, String source, boolean hasHeader, char delimiter) throws IOException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("CSV delimiter cannot be " + (delimiter == '"' ? "a quote" : "a line break"));
        }
        Tokenizer t = new Tokenizer(in, source, delimiter);
        List<String[]> records = new ArrayList<>();
        List<Long> startLines = new ArrayList<>();
        String[] record;
        while ((record = t.next()) != null) {
            if (!records.isEmpty() && record.length != records.get(0).length) {
                throw DatasetFormatException.atLine(source, t.recordLine, -1, "row has " + record.length
                        + " fields, expected " + records.get(0).length + " (as on line " + startLines.get(0) + ")");
            }
            records.add(record);
            startLines.add(t.recordLine);
        }
        List<String> header = null;
        int first = 0;
        if (hasHeader) {
            if (records.isEmpty()) {
                throw DatasetFormatException.atLine(source, 1, -1, "empty file: expected a header row");
            }
            header = List.of(records.get(0));
            first = 1;
        }
        List<String[]> rows = records.subList(first, records.size());
        long[] lines = new long[rows.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = startLines.get(first + i);
        }
        return new CsvTable(source, header, rows, lines);
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
        if (header != null) {
            return header.size();
        }
        return rows.isEmpty() ? 0 : rows.get(0).length;
    }

    /** Number of data rows (the header not counted). */
    public int rowCount() {
        return rows.size();
    }

    /** Field {@code column} (0-based) of data row {@code row} (0-based). */
    public String field(int row, int column) {
        return rows.get(row)[column];
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

    /** Reads records one at a time, counting lines. */
    private static final class Tokenizer {
        private final Reader in;
        private final String source;
        private final char delimiter;
        private final char[] buf = new char[8192];
        private int pos;
        private int limit;
        private long line = 1;
        private boolean first = true;
        long recordLine;

        Tokenizer(Reader in, String source, char delimiter) {
            this.in = in;
            this.source = source;
            this.delimiter = delimiter;
        }

        private int read() throws IOException {
            if (pos == limit) {
                try {
                    limit = in.read(buf, 0, buf.length);
                } catch (CharacterCodingException e) {
                    throw DatasetFormatException.atLine(source, line, -1, "not valid UTF-8 text", e);
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
                    readQuoted(field);
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
                field.append((char) c);
                c = read();
            }
        }

        /** Reads a quoted field after its opening quote, up to and including the closing quote. */
        private void readQuoted(StringBuilder field) throws IOException {
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
                        field.append('"');
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
                    field.append('\r');
                    if (n == '\n') {
                        field.append('\n');
                    }
                    continue;
                }
                field.append((char) c);
            }
        }

        private static boolean isBlank(StringBuilder sb) {
            return sb.toString().isBlank();
        }
    }

    @Override
    public String toString() {
        return source + ": " + rows.size() + " rows of " + columns() + " columns"
                + (header == null ? "" : " " + describeHeader());
    }
}
