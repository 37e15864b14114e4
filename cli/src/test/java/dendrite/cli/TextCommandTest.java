package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A character model from the command line: {@code train --dataset text:<file>}, then {@code sample}. */
class TextCommandTest {
    private static final Pattern BITS = Pattern.compile(
            "(?m)^test bits per character: (\\d+\\.\\d{4}) \\(perplexity \\S+\\); a bigram model's: (\\d+\\.\\d{4})");

    @TempDir
    static Path dir;
    static Path model;
    static Cli trained;

    /**
     * A text whose next character often depends on more than the previous one ("the " is followed by
     * one of four nouns, each followed by its own verb): a model that reads the window beats a bigram.
     */
    @BeforeAll
    static void train() throws IOException {
        String[] nouns = {"cat", "dog", "owl", "fox"};
        String[] verbs = {"sat", "ran", "hid", "dug"};
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 1500; i++) {
            int k = rnd.nextInt(4);
            sb.append("the ").append(nouns[k]).append(' ').append(verbs[k]).append(".\n");
        }
        Path text = dir.resolve("story.txt");
        Files.writeString(text, sb.toString());
        trained = Cli.run("train", "--dataset", "text:" + text, "--window", "12", "--stride", "2", "--hidden", "32",
                "--epochs", "4", "--lr", "0.01", "--quiet", "--out", dir.resolve("run").toString());
        model = dir.resolve("run/model.safetensors");
    }

    @Test
    void theCharacterModelBeatsTheBigramBaseline() {
        assertEquals(0, trained.code(), trained::toString);
        assertTrue(trained.out().contains("model: [12] -> Embedding(20, 32) -> LSTM(32, 32) -> dense 20"), trained::toString);
        Matcher m = BITS.matcher(trained.out());
        assertTrue(m.find(), trained::toString);
        double model = Double.parseDouble(m.group(1));
        double bigram = Double.parseDouble(m.group(2));
        assertTrue(model < 0.8 * bigram, "LSTM " + model + " bits per character against the bigram's " + bigram);
        Cli eval = Cli.run("eval", "--model", TextCommandTest.model.toString());
        assertEquals(0, eval.code(), eval::toString);
        Cli summary = Cli.run("summary", TextCommandTest.model.toString());
        assertTrue(summary.out().contains("text: windows of 12 characters, predicting the next"), summary::toString);
    }

    @Test
    void samplingIsSeededAndWritesWhatTheTextTaught() {
        Cli a = Cli.run("sample", model.toString(), "--length", "120", "--seed", "5", "--temperature", "0.5");
        Cli b = Cli.run("sample", model.toString(), "--length", "120", "--seed", "5", "--temperature", "0.5");
        Cli c = Cli.run("sample", model.toString(), "--length", "120", "--seed", "6", "--temperature", "0.5");
        assertEquals(0, a.code(), a::toString);
        assertEquals(a.out(), b.out(), "the same seed gives the same text");
        assertNotEquals(a.out(), c.out());
        assertEquals(1 + 120 + System.lineSeparator().length(), a.out().length(),
                "the prime (a line break) and 120 characters: " + a);
        assertTrue(a.out().contains("the "), a::toString);
        Cli primed = Cli.run("sample", model.toString(), "--prime", "the ", "--length", "10");
        assertTrue(primed.out().startsWith("the "), primed::toString);
    }

    @Test
    void aWordModelPredictsWordsAndSamplesThemApartBySpaces() {
        Path run = dir.resolve("words");
        Cli r = Cli.run("train", "--dataset", "text:" + dir.resolve("story.txt"), "--tokens", "words", "--vocabulary", "9",
                "--window", "4", "--stride", "1", "--hidden", "16", "--epochs", "2", "--lr", "0.01", "--quiet",
                "--out", run.toString());
        assertEquals(0, r.code(), r::toString);
        // <unk>, the, ".", line break and the 5 most frequent of the nouns and verbs
        assertTrue(r.out().contains("model: [4] -> Embedding(9, 32) -> LSTM(32, 16) -> dense 9"), r::toString);
        assertTrue(r.out().contains("test bits per word: "), r::toString);
        Cli s = Cli.run("sample", run.resolve("model.safetensors").toString(), "--prime", "the", "--length", "30");
        assertEquals(0, s.code(), s::toString);
        assertTrue(s.out().startsWith("the "), s::toString);
        assertTrue(s.out().lines().anyMatch(l -> l.matches("(the|<unk>|cat|dog|owl|fox|sat|ran|hid|dug|\\.| )+")), s::toString);
        Cli refused = Cli.run("train", "--dataset", "moons", "--tokens", "words");
        assertTrue(refused.err().contains("--tokens applies to a text"), refused::toString);
    }

    @Test
    void aPrimeWithAnUnknownCharacterOrAModelThatIsNotOneIsRefused() {
        Cli unknown = Cli.run("sample", model.toString(), "--prime", "zebra");
        assertEquals(1, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("--prime: the model never saw 'z' (U+7A)"), unknown::toString);
        Path digits = dir.resolve("digits");
        Cli d = Cli.run("train", "--epochs", "1", "--limit", "100", "--backend", "scalar", "--quiet", "--out", digits.toString());
        assertEquals(0, d.code(), d::toString);
        Cli notText = Cli.run("sample", digits.resolve("model.safetensors").toString());
        assertTrue(notText.err().contains("is not a character model"), notText::toString);
    }
}
