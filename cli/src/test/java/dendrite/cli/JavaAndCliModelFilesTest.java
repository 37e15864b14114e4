package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.Scaler;
import dendrite.nn.io.ModelFile;
import dendrite.nn.io.Preprocessing;
import dendrite.nn.io.SavedModel;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.train.Trainer;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the model file carries what prediction needs, and Java and the command line read and
 * write the same thing. Before, a model saved from Java with its scaler went through
 * {@code dendrite predict} unscaled (setosa classified as virginica with probability 1.0) and
 * {@code summary} said "input scaling: none".
 */
class JavaAndCliModelFilesTest {
    @TempDir
    Path dir;

    /** Features in very different units, so predicting without the scaler gives other classes. */
    private static final float[] RAW = {5100f, 0.35f, 1.4f, 5000f, 0.30f, 1.2f, 6200f, 0.32f, 3.7f, 6100f, 0.31f, 3.9f,
        7300f, 0.33f, 6.2f, 7700f, 0.26f, 6.7f};
    private static final String[] NAMES = {"set,osa", "versi\"color", "virginica"};

    private static Dataset training() {
        int n = 90;
        float[] x = new float[n * 3];
        int[] y = new int[n];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[3 * i] = 5000 + 1200 * c + (float) r.nextGaussian() * 200;
            x[3 * i + 1] = 0.3f + (float) r.nextGaussian() * 0.03f;
            x[3 * i + 2] = 1.3f + 2.5f * c + (float) r.nextGaussian() * 0.3f;
        }
        return Dataset.classification("units", x, new int[] {3}, y, 3, List.of(NAMES));
    }

    @Test
    void aModelSavedFromJavaPredictsTheSameThroughTheCommandLine() throws IOException {
        Backend be = Backends.get("scalar");
        Dataset data = training();
        Scaler scaler = Scaler.standardize(data);
        Sequential model = Sequential.builder(3).dense(16).relu().dense(3).build(be, 3);
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(0.05)).epochs(40).batchSize(16)
                .build().fit(scaler.transform(data));
        Path file = dir.resolve("java.safetensors");
        ModelFile.save(model, file, Preprocessing.of(scaler, data.classNames()));

        SavedModel saved = ModelFile.loadSaved(file, be);
        List<String> javaNames = saved.predictClassNames(RAW, RAW.length / 3);
        assertEquals(List.of(NAMES[0], NAMES[0], NAMES[1], NAMES[1], NAMES[2], NAMES[2]), javaNames,
                "the Java model with its scaler classifies the rows as their units say");

        Path in = dir.resolve("rows.csv");
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int i = 0; i < RAW.length; i += 3) {
            csv.append(RAW[i]).append(',').append(RAW[i + 1]).append(',').append(RAW[i + 2]).append('\n');
        }
        Files.writeString(in, csv);
        Path out = dir.resolve("predictions.csv");
        Cli r = Cli.run("predict", "--backend", "scalar", "--model", file.toString(), "--input", in.toString(), "--output",
                out.toString());
        assertEquals(0, r.code(), r::toString);
        List<String> cliNames = CsvRows.firstColumn(Files.readString(out));
        assertEquals(javaNames, cliNames, "dendrite predict on the Java-saved file");

        Cli summary = Cli.run("summary", file.toString());
        assertTrue(summary.out().contains("input scaling: standard (3 features)"), summary::toString);

        // The same weights saved as the issue saw them, the scaler kept where the command line does
        // not look: predict then sees raw units and answers otherwise, so the comparison above can fail.
        Path bare = dir.resolve("bare.safetensors");
        java.util.Map<String, String> ownKeys = new java.util.HashMap<>();
        scaler.toMap().forEach((k, v) -> ownKeys.put("app.scaler." + k, v));
        ModelFile.save(model, bare, ownKeys);
        Cli unscaled = Cli.run("predict", "--backend", "scalar", "--model", bare.toString(), "--input", in.toString(),
                "--output", dir.resolve("bare.csv").toString());
        assertEquals(0, unscaled.code(), unscaled::toString);
        assertTrue(!CsvRows.firstColumn(Files.readString(dir.resolve("bare.csv"))).equals(List.of("0", "0", "1", "1", "2", "2")),
                "without its scaler the model should misclassify these rows");
    }

    @Test
    void aModelTrainedByTheCommandLineLoadsInJavaWithItsScalerAndNames() throws IOException {
        Path run = dir.resolve("run");
        Cli t = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--hidden", "8", "--epochs", "20",
                "--out", run.toString());
        assertEquals(0, t.code(), t::toString);
        SavedModel saved = ModelFile.loadSaved(run.resolve("model.safetensors"), Backends.get("scalar"));
        assertTrue(saved.preprocessing().inputScaler() != null, "the command line's scaler is in the file");
        float[] rows = {0f, 0.5f, 1.5f, -0.3f, -0.8f, 0.6f};
        Path in = dir.resolve("moons.csv");
        Files.writeString(in, "x,y\n0,0.5\n1.5,-0.3\n-0.8,0.6\n");
        Path out = dir.resolve("moons-predictions.csv");
        Cli p = Cli.run("predict", "--backend", "scalar", "--model", run.resolve("model.safetensors").toString(), "--input",
                in.toString(), "--output", out.toString());
        assertEquals(0, p.code(), p::toString);
        assertEquals(CsvRows.firstColumn(Files.readString(out)), saved.predictClassNames(rows, 3));
    }

    /** The first field of each data row of the command's RFC 4180 output (names may be quoted). */
    static final class CsvRows {
        static List<String> firstColumn(String text) {
            List<String> out = new java.util.ArrayList<>();
            int i = text.indexOf('\n') + 1;                  // skip the header
            while (i < text.length()) {
                StringBuilder field = new StringBuilder();
                if (text.charAt(i) == '"') {
                    i++;
                    while (true) {
                        char c = text.charAt(i++);
                        if (c == '"') {
                            if (i < text.length() && text.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            field.append(c);
                        }
                    }
                } else {
                    while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n') {
                        field.append(text.charAt(i++));
                    }
                }
                out.add(field.toString());
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl + 1;
            }
            return out;
        }
    }
}
