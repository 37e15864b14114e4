package dendrite.nn.data;

import java.io.IOException;

/**
 * A data file that cannot be read as the format it claims to be: the one exception every
 * dataset parser in this package throws for bad content (IDX, CSV, the bundled digits).
 *
 * <p>The message always starts with the file (or source) name and says where the problem is:
 * a byte offset for binary formats, a line and column for text formats, so that a user can open
 * the file and look. The same facts are available as fields for programs that want them;
 * an unknown position is {@code -1}.
 *
 * <p>Plain I/O failures (a missing file, a permission error) stay ordinary {@link IOException}s:
 * this type means "the bytes are there, but they are wrong".
 */
public final class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file or source name, as given to the reader. */
    private final String file;
    /** The byte offset of the problem, or -1. */
    private final long offset;
    /** The 1-based line of the problem, or -1. */
    private final long line;
    /** The 1-based column of the problem, or -1. */
    private final int column;
    /** The name of the column at fault, or {@code null}. */
    private final String columnName;
    /** What is wrong, without the position. */
    private final String problem;

    private DatasetFormatException(String file, long offset, long line, int column, String columnName,
            String problem, Throwable cause) {
        super(describe(file, offset, line, column, columnName, problem), cause);
        this.columnName = columnName;
        this.file = file;
        this.offset = offset;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /**
     * A problem at a byte offset of a binary file (counted in the decompressed stream for gzip files).
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param offset the 0-based byte offset of the problem (in the decompressed stream for gzip files)
     * @param problem what is wrong, without the position
     * @return a new exception
     */
    public static DatasetFormatException atOffset(String file, long offset, String problem) {
        return new DatasetFormatException(file, offset, -1, -1, null, problem, null);
    }

    /**
     * As {@link #atOffset(String, long, String)}, keeping the low-level cause (e.g. a corrupt gzip stream).
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param offset the 0-based byte offset of the problem (in the decompressed stream for gzip files)
     * @param problem what is wrong, without the position
     * @param cause the low-level exception that revealed the problem, or {@code null}
     * @return a new exception
     */
    public static DatasetFormatException atOffset(String file, long offset, String problem, Throwable cause) {
        return new DatasetFormatException(file, offset, -1, -1, null, problem, cause);
    }

    /**
     * A problem at a 1-based line and column of a text file; column -1 when the whole line is at fault.
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param line the 1-based line number
     * @param column the 1-based column (field number), or -1 when the whole line is at fault
     * @param problem what is wrong, without the position
     * @return a new exception
     */
    public static DatasetFormatException atLine(String file, long line, int column, String problem) {
        return new DatasetFormatException(file, -1, line, column, null, problem, null);
    }

    /**
     * As {@link #atLine(String, long, int, String)}, keeping the low-level cause.
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param line the 1-based line number
     * @param column the 1-based column (field number), or -1 when the whole line is at fault
     * @param problem what is wrong, without the position
     * @param cause the low-level exception that revealed the problem, or {@code null}
     * @return a new exception
     */
    public static DatasetFormatException atLine(String file, long line, int column, String problem, Throwable cause) {
        return new DatasetFormatException(file, -1, line, column, null, problem, cause);
    }

    /**
     * A problem in one cell of a table: 1-based line and column, and the column's name from the
     * header ({@code null} without one), shown as {@code line 3, column 2 ('age')}.
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param line the 1-based line number
     * @param column the 1-based column (field number)
     * @param columnName the column's name from the header, or {@code null} when the file has none
     * @param problem what is wrong, without the position
     * @return a new exception
     */
    public static DatasetFormatException atCell(String file, long line, int column, String columnName,
            String problem) {
        return new DatasetFormatException(file, -1, line, column, columnName, problem, null);
    }

    /**
     * A problem with the file as a whole, or between files (e.g. image and label counts differ).
     *
     * @param file the file or source name, as the reader was given it; the message starts with it
     * @param problem what is wrong, without the position
     * @return a new exception with no position
     */
    public static DatasetFormatException of(String file, String problem) {
        return new DatasetFormatException(file, -1, -1, -1, null, problem, null);
    }

    private static String describe(String file, long offset, long line, int column, String columnName,
            String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (offset >= 0) {
            sb.append(": at byte offset ").append(offset);
        }
        if (line >= 0) {
            sb.append(": line ").append(line);
            if (column >= 0) {
                sb.append(", column ").append(column);
                if (columnName != null) {
                    sb.append(" ('").append(columnName).append("')");
                }
            }
        }
        return sb.append(": ").append(problem).toString();
    }

    /**
     * The file or source name, as given to the reader.
     *
     * @return the name the message starts with
     */
    public String file() {
        return file;
    }

    /**
     * The byte offset of the problem, or -1 when not a binary-format problem.
     *
     * @return the 0-based byte offset, or -1
     */
    public long offset() {
        return offset;
    }

    /**
     * The 1-based line of the problem, or -1 when not a text-format problem.
     *
     * @return the line number, or -1
     */
    public long line() {
        return line;
    }

    /**
     * The 1-based column (field number) of the problem, or -1 when unknown or the whole line.
     *
     * @return the column number, or -1
     */
    public int column() {
        return column;
    }

    /**
     * The name of the column at fault from the file's header, or {@code null}.
     *
     * @return the header's name of the column, or {@code null}
     */
    public String columnName() {
        return columnName;
    }

    /**
     * What is wrong, without the position.
     *
     * @return the problem, the message's last part
     */
    public String problem() {
        return problem;
    }
}
