package dendrite.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    @Test
    void windowsPredictTheNextCharacterWithTheVocabularyAsClassNames() {
        TextCorpus t = TextCorpus.of("t", "abcab");
        assertEquals(List.of("a", "b", "c"), t.vocabulary());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, t.ids());
        Dataset d = t.windows(2, 1);
        assertEquals(3, d.size());                     // "ab"->c, "bc"->a, "ca"->b
        assertArrayEquals(new float[] {0, 1, 1, 2, 2, 0}, d.features());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertEquals(List.of("a", "b", "c"), d.classNames());
        Dataset strided = t.windows(2, 2);
        assertArrayEquals(new float[] {0, 1, 2, 0}, strided.features());
        assertArrayEquals(new int[] {2, 1}, strided.labels());
    }

    @Test
    void wordsKeepTheMostFrequentAndPunctuationAndLineBreaks() {
        TextCorpus t = TextCorpus.words("w", "the cat sat.\nthe cat's hat, the end", 5);
        // counts: the 3, cat 1, cat's 1, sat 1, . 1, \n 1, hat 1, , 1, end 1 -> ties in code-point order
        assertEquals(List.of(TextCorpus.UNKNOWN, "the", "\n", ",", "."), t.vocabulary());
        assertArrayEquals(new int[] {1, 0, 0, 4, 2, 1, 0, 0, 3, 1, 0}, t.ids());
        assertEquals("the cat sat.\nthe end, the", TextCorpus.joinWords(List.of("the", "cat", "sat", ".", "\n", "the", "end",
                ",", "the")));
    }

    @Test
    void charactersAreCodePointsNotUtf16Units() {
        TextCorpus t = TextCorpus.of("emoji", "a😀a😀b");
        assertEquals(List.of("a", "b", "😀"), t.vocabulary());
        assertEquals(5, t.length());
    }

    @Test
    void theBigramBaselineKnowsThePreviousCharacter() {
        // "ab" repeated: after a always b, after b always a; add-one smoothing over 2 characters.
        Dataset d = TextCorpus.of("ab", "ab".repeat(50)).windows(3, 1);
        double ce = TextCorpus.bigramCrossEntropy(d, d);
        assertTrue(ce < 0.05, "a deterministic alternation is almost free to predict: " + ce);
        Dataset uniform = TextCorpus.of("u", "abba".repeat(50)).windows(3, 1);
        assertEquals(Math.log(2), TextCorpus.bigramCrossEntropy(uniform, uniform), 0.01,
                "after each letter either letter follows equally often");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithTheOffset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.write(f, new byte[] {'a', 'b', (byte) 0xC3, '(', 'c'});
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TextCorpus.read(f));
        assertTrue(e.getMessage().contains("not UTF-8 text") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TextCorpus.of("short", "ab").windows(2, 1));
    }
}
