package dendrite.nn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void parsesEveryValueTypeKeepingKeyOrder() {
        Map<String, Object> o = Json.parseObject(
                " {\"z\": 1, \"a\": [true, false, null], \"s\": \"x\", \"d\": -2.5e3, \"big\": 123456789012, \"o\": {}}\n");
        assertEquals(List.of("z", "a", "s", "d", "big", "o"), new ArrayList<>(o.keySet()));
        assertEquals(1L, o.get("z"));
        List<?> a = (List<?>) o.get("a");
        assertEquals(Boolean.TRUE, a.get(0));
        assertEquals(Boolean.FALSE, a.get(1));
        assertNull(a.get(2));
        assertEquals("x", o.get("s"));
        assertEquals(-2500.0, o.get("d"));
        assertEquals(123456789012L, o.get("big"));
        assertEquals(Map.of(), o.get("o"));
    }

    @Test
    void numbersAreLongsWhenIntegralAndDoublesOtherwise() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-0.0, Json.parse("-0.0"));
        assertEquals(1.0, Json.parse("1E0"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertInstanceOf(Double.class, Json.parse("9223372036854775808"), "beyond long: a double");
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() {
        assertEquals("a\"b\\c/d\b\f\n\r\t\u00e9\uD83D\uDE00",
                Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
        assertEquals("héllo ✓", Json.parse("\"héllo ✓\""), "raw non-ASCII is kept as is");
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`[1,]`                 | 3  | expected a value",
        "`{\"a\":1,}`           | 7  | expected a string key",
        "`01`                   | 1  | leading zero",
        "`NaN`                  | 0  | expected a value",
        "`{'a':1}`              | 1  | expected a string key",
        "`[1] // c`             | 4  | after the end",
        "`\"abc`                | 0  | not closed",
        "`\"a\\qb\"`            | 2  | unknown escape",
        "`\"\\ud800\"`          | 1  | unpaired high surrogate",
        "`\"\\udc00\"`          | 1  | unpaired low surrogate",
        "`\"\\u12G4\"`          | 1  | 4 hex digits",
        "`{\"a\":1,\"a\":2}`    | 7  | duplicate key \"a\"",
        "`[1 2]`                | 3  | expected ',' or ']'",
        "`{\"a\" 1}`            | 5  | expected ':'",
        "`tru`                  | 0  | expected a value",
        "`-`                    | 1  | expected a digit",
        "`1.`                   | 2  | after the decimal point",
        "`1e+`                  | 3  | in the exponent",
        "`   `                  | 3  | unexpected end",
    })
    void refusesInvalidTextNamingTheOffset(String text, int offset, String problem) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("at offset " + offset + ": "), e.getMessage());
    }

    @Test
    void refusesRawControlCharactersInStrings() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"a\nb\""));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("U+000A"), e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertEquals(Json.DEFAULT_MAX_DEPTH, e.offset(), "the first bracket past the limit");
        assertEquals(List.of(List.of()), Json.parse("[[]]", 2, 100));
        assertThrows(JsonException.class, () -> Json.parse("[[[]]]", 2, 100));
    }

    @Test
    void refusesTextLongerThanTheLimit() {
        assertThrows(JsonException.class, () -> Json.parse("[1, 2, 3]", 8, 8));
        assertEquals(List.of(1L, 2L, 3L), Json.parse("[1, 2, 3]", 8, 9));
    }

    @Test
    void writesCompactJsonLikeSerde() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "dense");
        m.put("units", 128);
        m.put("rate", 0.1f);
        m.put("alpha", 1e-5);
        m.put("dims", new int[] {3, 2});
        m.put("tags", List.of(true, "x"));
        m.put("none", null);
        assertEquals("{\"name\":\"dense\",\"units\":128,\"rate\":0.1,\"alpha\":1.0E-5,\"dims\":[3,2],"
                + "\"tags\":[true,\"x\"],\"none\":null}", Json.write(m));
    }

    @Test
    void writesEscapesThatParseBack() {
        String s = "q\"b\\s/\u0001\n\t\u2028é\uD83D\uDE00";
        String written = Json.write(s);
        assertEquals("\"q\\\"b\\\\s/\\u0001\\n\\t\u2028é\uD83D\uDE00\"", written);
        assertEquals(s, Json.parse(written));
    }

    @Test
    void refusesValuesJsonCannotHold() {
        assertThrows(JsonException.class, () -> Json.write(Float.NaN));
        assertThrows(JsonException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(JsonException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(JsonException.class, () -> Json.write(new Object()));
        assertThrows(JsonException.class, () -> Json.write("\uD800 alone"));
    }

    @Property(tries = 300)
    void anyStringSurvivesAWriteAndParse(@ForAll String s) {
        boolean wellFormed = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                wellFormed = false;
            }
        }
        if (wellFormed) {
            assertEquals(s, Json.parse(Json.write(s)));
        } else {
            assertThrows(JsonException.class, () -> Json.write(s));
        }
    }

    @Property(tries = 300)
    void anyFiniteDoubleSurvivesAWriteAndParse(@ForAll double d) {
        if (Double.isFinite(d)) {
            assertEquals(d, ((Number) Json.parse(Json.write(d))).doubleValue());
        }
    }
}
