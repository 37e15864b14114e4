package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input the command promises to handle: one line on stderr that says what is
 * wrong, a non-zero exit code, and no stack trace (unless {@code --verbose}).
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path nonNumericCsv;
    static Path missing;
    static Path corruptModel;
    static Path emptyFolder;
    static Path existingFile;

    @BeforeAll
    static void files() throws IOException {
        Path out = dir.resolve("xor");
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "xor", "--hidden", "4", "--epochs", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        model = out.resolve("model.safetensors");
        nonNumericCsv = Files.writeString(dir.resolve("words.csv"), "a,b,label\n1,2,0\n3,four,1\n5,6,0\n");
        missing = dir.resolve("no-such-file.csv");
        corruptModel = Files.write(dir.resolve("corrupt.safetensors"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '"', 'x'});
        emptyFolder = Files.createDirectories(dir.resolve("empty"));
        existingFile = Files.writeString(dir.resolve("taken.csv"), "keep me\n");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("unknown backend", "unknown backend 'warp'", "train", "--backend", "warp"),
                bad("unknown dataset", "unknown dataset 'imagenet'", "train", "--dataset", "imagenet"),
                bad("zero-sized layer", "0 units is impossible", "train", "--hidden", "0"),
                bad("non-numeric layer size", "'abc' is not a layer size", "train", "--hidden", "128,abc"),
                bad("non-numeric option", "--epochs", "train", "--epochs", "ten"),
                bad("unknown option", "--colour", "train", "--colour"),
                bad("unknown activation", "unknown activation 'swish'", "train", "--activation", "swish"),
                bad("unknown optimizer", "unknown optimizer 'lbfgs'", "train", "--optimizer", "lbfgs"),
                bad("negative learning rate", "--lr", "train", "--dataset", "xor", "--lr", "-1"),
                bad("diverging training", "training diverged at step", "train", "--backend", "scalar", "--dataset", "xor",
                        "--optimizer", "sgd", "--lr", "1e30", "--out", "FRESH"),
                bad("missing CSV", "no such file", "train", "--dataset", "csv:" + missing, "--label", "y"),
                bad("non-numeric CSV", "line 3, column 2", "train", "--dataset", "csv:" + nonNumericCsv, "--label", "label"),
                bad("CSV without a label", "--label", "train", "--dataset", "csv:" + nonNumericCsv),
                bad("missing MNIST files", "lacks", "train", "--dataset", "mnist:" + emptyFolder),
                bad("missing model", "no such model file", "eval", "--model", missing.toString()),
                bad("corrupt model", "corrupt.safetensors", "eval", "--model", corruptModel.toString()),
                bad("model that does not fit the data", "does not fit", "eval", "--model", "MODEL", "--dataset", "digits"),
                bad("predict on non-numeric CSV", "not a number", "predict", "--model", "MODEL", "--input", nonNumericCsv.toString(),
                        "--drop", "label"),
                bad("predict into an existing file", "already exists", "predict", "--model", "MODEL", "--input",
                        nonNumericCsv.toString(), "--output", "EXISTING"),
                bad("summary of a missing model", "no such model file", "summary", missing.toString()),
                bad("impossible bench size", "size 0", "bench", "--sizes", "0"));
    }

    private static Arguments bad(String what, String expected, String... args) {
        return Arguments.of(what, expected, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void oneLineAndNonZeroExit(String what, String expected, String[] args) {
        Cli r = Cli.run(resolve(args));
        assertNotEquals(0, r.code(), r::toString);
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), () -> what + ": expected one line on stderr\n" + r);
        assertTrue(lines.get(0).startsWith("dendrite: "), r::toString);
        assertTrue(lines.get(0).contains(expected), () -> what + ": expected '" + expected + "' in\n" + r);
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli r = Cli.run("eval", "--model", missing.toString(), "--verbose");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("dendrite: no such model file"), r::toString);
        assertTrue(r.err().contains("\tat dendrite.cli."), r::toString);
    }

    @Test
    void anExistingFileIsLeftAlone() throws IOException {
        Cli.run(resolve(new String[] {"predict", "--model", "MODEL", "--input", nonNumericCsv.toString(), "--output", "EXISTING"}));
        assertEquals("keep me\n", Files.readString(existingFile));
    }

    private static String[] resolve(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (out[i]) {
                case "MODEL" -> model.toString();
                case "EXISTING" -> existingFile.toString();
                case "FRESH" -> dir.resolve("fresh-" + System.nanoTime()).toString();
                default -> out[i];
            };
        }
        return out;
    }
}
