package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model} with convolution layers: train, then summary, eval and predict on the model file. */
class ConvolutionalModelTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    @Test
    void aSmallCnnOnTheDigitsTrainsAndItsFileWorksWithEveryCommand() throws Exception {
        Path out = dir.resolve("cnn");
        Cli train = Cli.run("train", "--backend", "scalar", "--model",
                "conv 6 3 pad same, relu, maxpool 2, conv 8 3, relu, flatten, dense 32, relu",
                "--epochs", "4", "--lr", "0.01", "--limit", "600", "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        Matcher m = TEST_ACCURACY.matcher(train.out());
        assertTrue(m.find(), train::toString);
        // Ten classes: chance is 0.1; four epochs of a small CNN on 600 digits learn far more.
        assertTrue(Double.parseDouble(m.group(1)) > 0.6, train::toString);
        Path model = out.resolve("model.safetensors");

        Cli summary = Cli.run("summary", model.toString());
        assertEquals(0, summary.code(), summary::toString);
        assertTrue(summary.out().contains("Conv2d(1, 6, 3, same)") && summary.out().contains("[6, 8, 8]")
                && summary.out().contains("MaxPool2d(2)") && summary.out().contains("[8, 2, 2]"), summary::toString);

        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", model.toString());
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("accuracy: " + m.group(1)), train + "\n" + eval);

        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            csv.append(i == 0 ? "" : ",").append("p").append(i);
        }
        csv.append('\n');
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 64; i++) {
                csv.append(i == 0 ? "" : ",").append((i * (r + 3)) % 17 / 16.0);
            }
            csv.append('\n');
        }
        Path input = dir.resolve("pixels.csv");
        Files.writeString(input, csv);
        Cli predict = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", input.toString());
        assertEquals(0, predict.code(), predict::toString);
        assertEquals(4, predict.outLines().size(), "a header and one row per image: " + predict);
    }

    /** A residual network from the spec: trains, and its file (a model holding graphs) works with every command. */
    @Test
    void residualBlocksFromTheSpecTrainAndTheirFileWorksWithEveryCommand() throws Exception {
        Path out = dir.resolve("resnet");
        Cli train = Cli.run("train", "--backend", "scalar", "--model",
                "conv 8 3 pad 1 nobias, batchnorm2d, relu, residual 8 8, residual 8 12 stride 2, gap, flatten",
                "--epochs", "3", "--lr", "0.01", "--limit", "600", "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        Matcher m = TEST_ACCURACY.matcher(train.out());
        assertTrue(m.find(), train::toString);
        assertTrue(Double.parseDouble(m.group(1)) > 0.6, train::toString);
        Path model = out.resolve("model.safetensors");
        Cli summary = Cli.run("summary", model.toString());
        assertEquals(0, summary.code(), summary::toString);
        assertTrue(summary.out().contains("| shortcut_conv") && summary.out().contains("[12, 4, 4]"),
                summary::toString);
        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", model.toString());
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("accuracy: " + m.group(1)), train + "\n" + eval);
        Cli bad = Cli.run("train", "--backend", "scalar", "--model", "residual 8 8 strid 2", "--epochs", "1");
        assertEquals(1, bad.code(), bad::toString);
        assertEquals("dendrite: --model: residual option 'strid' is unknown; known: stride", bad.err().strip());
    }

    @Test
    void aCsvOfPixelsTrainsAsImagesWithImage() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            csv.append("p").append(i).append(',');
        }
        csv.append("y\n");
        for (int r = 0; r < 40; r++) {
            int label = r % 2;
            for (int i = 0; i < 16; i++) {
                // class 1 is bright on the left half, class 0 on the right
                csv.append(((i % 4 < 2) == (label == 1)) ? 0.9 : 0.1).append(',');
            }
            csv.append(label).append('\n');
        }
        Path data = dir.resolve("pixels.csv");
        Files.writeString(data, csv);
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "y", "--image", "1x4x4",
                "--scale", "none", "--model", "conv 2 3 pad same, relu, flatten", "--epochs", "3",
                "--out", dir.resolve("pixels").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("model: [1, 4, 4] -> Conv2d(1, 2, 3, same)"), r::toString);

        Cli wrong = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "y", "--image", "3x3",
                "--out", dir.resolve("wrong").toString());
        assertTrue(wrong.code() != 0 && wrong.err().contains("--image 1x3x3") && wrong.err().contains("16"), wrong::toString);
        assertEquals(1, wrong.errLines().size(), wrong::toString);
    }

    @Test
    void cifar10FilesTrainAColourCnn() throws Exception {
        Path folder = dir.resolve("cifar");
        Files.createDirectories(folder);
        for (String name : new String[] {"data_batch_1.bin", "test_batch.bin"}) {
            byte[] b = new byte[20 * 3073];
            for (int r = 0; r < 20; r++) {
                b[r * 3073] = (byte) (r % 2);                         // two classes: bright red or bright blue
                for (int i = 0; i < 3072; i++) {
                    boolean red = i < 1024, blue = i >= 2048;
                    b[r * 3073 + 1 + i] = (byte) ((r % 2 == 0 ? red : blue) ? 220 : 30);
                }
            }
            Files.write(folder.resolve(name), b);
        }
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "cifar10:" + folder, "--model",
                "conv 2 3 stride 2, relu, gap, flatten", "--epochs", "2", "--out", dir.resolve("cifar-run").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("model: [3, 32, 32] -> Conv2d(3, 2, 3, stride 2)"), r::toString);
    }

    @Test
    void theCnnPresetIsTheIssuesNetwork() {
        assertEquals("conv 32 3, relu, maxpool 2, conv 64 3, relu, maxpool 2, flatten, dense 128, relu", ModelSpec.CNN);
        assertEquals(9, ModelSpec.parse("cnn").size());
    }

    /** The CNN presets train with their recipe (AdamW, decay 0.05, batch 64, crop 1) where the options are not given. */
    @Test
    void theCnnPresetsTrainWithTheirRecipeWhereTheOptionsAreLeftOut() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            csv.append('p').append(i).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < 30; r++) {
            for (int i = 0; i < 784; i++) {
                csv.append((i * (r + 3)) % 29 / 28.0).append(',');
            }
            csv.append(r % 3).append('\n');
        }
        Path data = dir.resolve("images.csv");
        Files.writeString(data, csv);
        String[] common = {"train", "--backend", "scalar", "--dataset", "csv:" + data, "--label", "label",
            "--image", "1x28x28", "--epochs", "1", "--quiet"};

        Cli preset = Cli.run(concat(common, "--model", "cnn", "--out", dir.resolve("r1").toString()));
        assertEquals(0, preset.code(), preset::toString);
        assertTrue(preset.out().contains("training: adamw lr 0.002 (cosine), weight decay 0.05, batch 64, 1 epochs")
                && preset.out().contains("augmented: crop 1 (cnn's recipe where not given)"), preset::toString);

        Cli bn = Cli.run(concat(common, "--model", "cnn-bn", "--out", dir.resolve("r2").toString()));
        assertEquals(0, bn.code(), bn::toString);
        assertTrue(bn.out().contains("training: adamw lr 0.003 (cosine), weight decay 0.05, batch 64"), bn::toString);

        // Another optimizer gets its own usual rate and no decay; what is given wins, the rest stays the recipe's.
        Cli adam = Cli.run(concat(common, "--model", "cnn", "--optimizer", "adam", "--batch", "16", "--augment", "flip",
                "--out", dir.resolve("r3").toString()));
        assertEquals(0, adam.code(), adam::toString);
        assertTrue(adam.out().contains("training: adam lr 0.001 (cosine), batch 16, 1 epochs")
                && adam.out().contains("augmented: flip (cnn's recipe where not given)"), adam::toString);
        Cli lr = Cli.run(concat(common, "--model", "cnn", "--lr", "0.01", "--weight-decay", "0.1",
                "--out", dir.resolve("r4").toString()));
        assertEquals(0, lr.code(), lr::toString);
        assertTrue(lr.out().contains("training: adamw lr 0.01 (cosine), weight decay 0.1, batch 64"), lr::toString);

        // A written-out stack, even the preset's own layers, has no recipe: the general defaults.
        Cli spec = Cli.run(concat(common, "--model", ModelSpec.CNN, "--out", dir.resolve("r5").toString()));
        assertEquals(0, spec.code(), spec::toString);
        assertTrue(spec.out().contains("training: adam lr 0.001 (cosine), batch 32, 1 epochs")
                && !spec.out().contains("recipe"), spec::toString);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void aMistakeInTheSpecIsOneLineNamingIt() {
        Cli typo = Cli.run("train", "--backend", "scalar", "--model", "conv 8 3, rleu", "--out", dir.resolve("a").toString());
        assertTrue(typo.code() != 0 && typo.err().contains("unknown layer 'rleu' (did you mean 'relu'?)"), typo::toString);
        assertEquals(1, typo.errLines().size(), typo::toString);

        Cli option = Cli.run("train", "--backend", "scalar", "--model", "conv 8 3 strid 2", "--out", dir.resolve("b").toString());
        assertTrue(option.code() != 0 && option.err().contains("conv option 'strid' is unknown"), option::toString);

        Cli flat = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--model", "conv 4 3",
                "--out", dir.resolve("c").toString());
        assertTrue(flat.code() != 0 && flat.err().contains("--model does not fit samples of [2]")
                && flat.err().contains("[channels, height, width]"), flat::toString);
        assertEquals(1, flat.errLines().size(), flat::toString);
    }

    @Test
    void augmentationTrainsTheBatchNormPresetAndIsRefusedWhereThereAreNoImages() throws Exception {
        StringBuilder csv = new StringBuilder("y");
        for (int i = 0; i < 784; i++) {
            csv.append(",p").append(i);
        }
        for (int r = 0; r < 24; r++) {
            csv.append('\n').append(r % 2);
            for (int i = 0; i < 784; i++) {
                csv.append(',').append((i * (r + 1)) % 13 / 12.0);
            }
        }
        Path images = dir.resolve("images.csv");
        Files.writeString(images, csv.append('\n'));
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "csv:" + images, "--label", "y", "--image", "28x28",
                "--scale", "none", "--model", "cnn-bn", "--augment", "crop 1, flip", "--epochs", "1",
                "--out", dir.resolve("augmented").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains(", augmented: crop 1, flip"), r::toString);
        assertTrue(r.out().contains("BatchNorm2d"), r::toString);

        Cli bad = Cli.run("train", "--augment", "crop 1, spin", "--out", dir.resolve("bad").toString());
        assertEquals(1, bad.code(), bad::toString);
        assertEquals("dendrite: --augment 'crop 1, spin': augmentation: 'spin' is not one of: crop P, flip, none"
                + " (e.g. 'crop 2, flip')", bad.err().strip());

        Cli flat = Cli.run("train", "--dataset", "moons", "--augment", "flip", "--out", dir.resolve("flat").toString());
        assertEquals(1, flat.code(), flat::toString);
        assertTrue(flat.err().startsWith("dendrite: --augment: augmentation (flip): moves images [channels, height,"
                + " width], but the model takes samples of [2]"), flat::toString);
        assertTrue(flat.err().strip().lines().count() == 1, flat::toString);
    }
}
