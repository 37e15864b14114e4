package dendrite.nn.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer, so that nn-core needs no JSON library.
 *
 * <h2>Values</h2>
 * JSON values map to plain Java objects: an object is an unmodifiable {@code Map<String, Object>}
 * keeping the file's key order, an array an unmodifiable {@code List<Object>}, a string a
 * {@link String}, a number a {@link Long} when written as an integer that fits, otherwise a
 * {@link Double}, {@code true}/{@code false} a {@link Boolean}, and {@code null} Java's {@code null}.
 *
 * <pre>{@code
 * Map<String, Object> o = Json.parseObject("{\"units\": 128, \"act\": \"relu\"}");
 * long units = (Long) o.get("units");
 * String text = Json.write(Map.of("units", 128));   // {"units":128}
 * }</pre>
 *
 * <h2>Strictness</h2>
 * The reader accepts exactly the RFC grammar: no comments, no trailing commas, no single quotes,
 * no {@code NaN}, no leading zeros, no raw control characters in strings, and no unpaired
 * surrogate escapes. It also refuses what the RFC leaves open and a file format must not allow:
 * a key repeated in one object, nesting deeper than a limit (so hostile input cannot overflow the
 * stack), and text longer than a limit. Every problem throws {@link JsonException} with its offset.
 * The parser is a single left-to-right pass: its time is linear in the input.
 */
public final class Json {
    /** Default deepest nesting of arrays and objects accepted by {@link #parse(String)}. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Default longest text, in chars, accepted by {@link #parse(String)}. */
    public static final int DEFAULT_MAX_CHARS = 100_000_000;
    // A number longer than this is not a weight or a shape: refusing it keeps parsing cheap.
    private static final int MAX_NUMBER_CHARS = 400;

    private final String text;
    private final int maxDepth;
    private int pos;

    private Json(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value, with the default depth and length limits. */
    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH, DEFAULT_MAX_CHARS);
    }

    /**
     * Parses one JSON value (surrounding whitespace allowed).
     *
     * @param maxDepth deepest nesting of arrays and objects allowed (1 allows {@code [1]} but not {@code [[1]]})
     * @param maxChars longest text allowed
     * @throws JsonException naming the offset and the problem
     */
    public static Object parse(String text, int maxDepth, int maxChars) {
        if (text.length() > maxChars) {
            throw new JsonException(maxChars, "text of " + text.length() + " chars is longer than the limit of "
                    + maxChars);
        }
        Json p = new Json(text, maxDepth);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected " + p.describeCurrent() + " after the end of the JSON value");
        }
        return value;
    }

    /** Parses text that must hold a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException(0, "expected a JSON object, found " + typeName(v));
        }
        return (Map<String, Object>) v;
    }

    /** The JSON name of a parsed value's type, for error messages: object, array, string, number, boolean, null. */
    public static String typeName(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof Number) {
            return "number";
        } else if (v instanceof Boolean) {
            return "boolean";
        }
        return v.getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ reading

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value, found " + describeCurrent());
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key, found " + describeCurrent());
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':', "after an object key");
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                throw new JsonException(keyAt, "duplicate key \"" + shorten(key) + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            } else {
                throw error("expected ',' or '}' after an object member, found " + describeCurrent());
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            } else {
                throw error("expected ',' or ']' after an array element, found " + describeCurrent());
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw error("nesting deeper than the limit of " + maxDepth);
        }
    }

    private String string() {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw new JsonException(start, "string not closed before the end of the text");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(runStart, pos) : sb.append(text, runStart, pos).toString();
                pos++;
                return s;
            } else if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, runStart, pos);
                escape(sb);
                runStart = pos;
            } else if (c < 0x20) {
                throw error("control character U+" + hex4(c) + " must be escaped in a string");
            } else {
                pos++;
            }
        }
    }

    /** Reads one escape sequence at {@code pos} (on the backslash) into sb. */
    private void escape(StringBuilder sb) {
        int at = pos;
        pos++;
        if (pos >= text.length()) {
            throw new JsonException(at, "escape sequence cut off by the end of the text");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char u = hexEscape(at);
                if (Character.isHighSurrogate(u)) {
                    if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                        int lowAt = pos;
                        pos += 2;
                        char low = hexEscape(lowAt);
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonException(lowAt, "high surrogate \\u" + hex4(u)
                                    + " is not followed by a low surrogate");
                        }
                        sb.append(u).append(low);
                    } else {
                        throw new JsonException(at, "unpaired high surrogate \\u" + hex4(u));
                    }
                } else if (Character.isLowSurrogate(u)) {
                    throw new JsonException(at, "unpaired low surrogate \\u" + hex4(u));
                } else {
                    sb.append(u);
                }
            }
            default -> throw new JsonException(at, "unknown escape sequence \\" + printable(e));
        }
    }

    private char hexEscape(int at) {
        if (pos + 4 > text.length()) {
            throw new JsonException(at, "\\u escape needs 4 hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                throw new JsonException(at, "\\u escape needs 4 hex digits, found \"" + printable(text.charAt(pos + i))
                        + "\"");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("a number must not have a leading zero");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit, found " + describeCurrent());
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point, found " + describeCurrent());
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent, found " + describeCurrent());
            }
            digits();
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            throw new JsonException(start, "number of " + (pos - start) + " chars is longer than the limit of "
                    + MAX_NUMBER_CHARS);
        }
        String token = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException tooBig) {
                // Falls through: an integer beyond the long range is kept as the nearest double.
            }
        }
        return Double.parseDouble(token);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value, found " + describeCurrent());
        }
        pos += word.length();
        return value;
    }

    private void expect(char c, String where) {
        if (peek() != c) {
            throw error("expected '" + c + "' " + where + ", found " + describeCurrent());
        }
        pos++;
    }

    /** The current char, or 0 at the end (0 is never valid where peek() is used). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String describeCurrent() {
        return pos >= text.length() ? "the end of the text" : "'" + printable(text.charAt(pos)) + "'";
    }

    private JsonException error(String problem) {
        return new JsonException(pos, problem);
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? "\\u" + hex4(c) : String.valueOf(c);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a value as compact JSON (no spaces), the way {@code serde_json} and Python's
     * {@code json.dumps(separators=(",", ":"))} do. Accepts maps with string keys (in their
     * iteration order), lists and other iterables, strings, booleans, {@code null}, integer types
     * and finite floats and doubles (a float is written with its own shortest form, so
     * {@code 0.1f} is {@code 0.1}). Non-ASCII characters are written as themselves.
     *
     * @throws JsonException for NaN, an infinity, a non-string key or an unsupported type
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, 0);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb, int depth) {
        if (depth > 1000) {
            throw new JsonException(-1, "value nested more than 1000 deep (a cycle?)");
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            writeString(s, sb);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Float f) {
            requireFinite(f.doubleValue());
            sb.append(f.toString());
        } else if (v instanceof Double d) {
            requireFinite(d);
            sb.append(d.toString());
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new JsonException(-1, "object key " + e.getKey() + " is not a string");
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(key, sb);
                sb.append(':');
                write(e.getValue(), sb, depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(o, sb, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof int[] ints) {
            List<Object> boxed = new ArrayList<>(ints.length);
            for (int i : ints) {
                boxed.add(i);
            }
            write(boxed, sb, depth);
        } else if (v instanceof long[] longs) {
            List<Object> boxed = new ArrayList<>(longs.length);
            for (long l : longs) {
                boxed.add(l);
            }
            write(boxed, sb, depth);
        } else {
            throw new JsonException(-1, "cannot write a " + v.getClass().getName() + " as JSON");
        }
    }

    private static void requireFinite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new JsonException(-1, "JSON has no number for " + d);
        }
    }

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u").append(String.format("%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !isPairedAt(s, i)) {
                        throw new JsonException(-1, "string has an unpaired surrogate at index " + i);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isPairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
