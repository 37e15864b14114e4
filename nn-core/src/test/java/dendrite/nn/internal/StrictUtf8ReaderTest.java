package dendrite.nn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StrictUtf8ReaderTest {
    private static String readAll(byte[] bytes) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Reader r = new StrictUtf8Reader(new ByteArrayInputStream(bytes))) {
            char[] buf = new char[4];
            for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) {
                sb.append(buf, 0, n);
            }
        }
        return sb.toString();
    }

    @Test
    void validTextReadsThrough() throws IOException {
        assertEquals("h\u00e9llo, w\u00f6rld", readAll("h\u00e9llo, w\u00f6rld".getBytes(StandardCharsets.UTF_8)));
    }

    /** The offset is written with ASCII digits whatever the JVM's locale (Arabic's would be ١٢). */
    @Test
    void aBadByteIsNamedWithItsOffsetInAnyLocale() {
        byte[] bytes = "0123456789ab\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-EG"));
            CharacterCodingException e = assertThrows(CharacterCodingException.class, () -> readAll(bytes));
            assertEquals("byte 0xe9 at byte offset 12 is not UTF-8", e.getMessage());
        } finally {
            Locale.setDefault(before);
        }
    }
}
