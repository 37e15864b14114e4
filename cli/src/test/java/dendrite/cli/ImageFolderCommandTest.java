package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dataset images:<folder>}: a folder of PNGs per class trains a CNN at the size {@code --image}
 * asks (grayscale with one channel), {@code eval} reads the pictures again at the model's size, and
 * bad folders or sizes are refused in one line.
 */
class ImageFolderCommandTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("(?m)^test accuracy: (\\d\\.\\d{4})$");

    @TempDir
    Path dir;

    /** 60 pictures a class of 20 x 20: light, with a dark bar across or down at a random place. */
    private Path bars() throws IOException {
        Path root = dir.resolve("bars");
        Random r = new Random(8);
        for (int i = 0; i < 60; i++) {
            for (String kind : new String[] {"across", "down"}) {
                BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(190 + r.nextInt(60), 190 + r.nextInt(60), 190 + r.nextInt(60)));
                g.fillRect(0, 0, 20, 20);
                g.setColor(new Color(40, 40, 60));
                int at = 2 + r.nextInt(14);
                if (kind.equals("down")) {
                    g.fillRect(at, 0, 4, 20);
                } else {
                    g.fillRect(0, at, 20, 4);
                }
                g.dispose();
                Path file = root.resolve(kind).resolve(String.format("%03d.png", i));
                Files.createDirectories(file.getParent());
                ImageIO.write(img, "png", file.toFile());
            }
        }
        return root;
    }

    @Test
    void aFolderOfPicturesTrainsACnnAndEvalReadsThemAtTheModelsSize() throws IOException {
        Path root = bars();
        Path out = dir.resolve("run");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "images:" + root, "--image", "12x16",
                "--model", "conv 8 3, relu, maxpool 2, flatten, dense 16, relu", "--epochs", "30", "--batch", "8", "--lr", "0.003",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        assertTrue(train.out().contains("dataset: images:" + root + ": ") && train.out().contains("2 classes"),
                train::toString);
        assertTrue(train.out().contains("[1, 12, 16]"), "grayscale at 12 x 16: " + train);
        Matcher m = TEST_ACCURACY.matcher(train.out());
        assertTrue(m.find() && Double.parseDouble(m.group(1)) >= 0.9, train::toString);
        Cli eval = Cli.run("eval", "--backend", "scalar", "--model", out.resolve("model.safetensors").toString());
        assertEquals(0, eval.code(), eval::toString);
        assertTrue(eval.out().contains("\naccuracy: " + m.group(1) + "\n"), train + "\n" + eval);
        predictReadsPicturesAtTheModelsSize(root, out.resolve("model.safetensors"));
    }

    /**
     * {@code predict --input <folder>} names each picture and its class; most agree with their folder
     * (the model saw them), and one picture alone gets the same row as it got among the others.
     */
    private void predictReadsPicturesAtTheModelsSize(Path root, Path model) throws IOException {
        Path csv = dir.resolve("predictions.csv");
        Cli all = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", root.toString(),
                "--output", csv.toString());
        assertEquals(0, all.code(), all::toString);
        assertTrue(all.out().contains("wrote 120 predictions"), all::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("file,prediction,p_across,p_down", lines.get(0));
        assertEquals(121, lines.size());
        int agree = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            agree += f[0].startsWith(f[1] + "/") ? 1 : 0;
            assertEquals(1.0, Double.parseDouble(f[2]) + Double.parseDouble(f[3]), 2e-6, line);
        }
        assertTrue(agree >= 108, agree + " of 120 pictures predicted as their folder's class");
        assertTrue(lines.get(1).startsWith("across/000.png,") && lines.get(61).startsWith("down/000.png,"),
                "sorted paths relative to the folder: " + lines.get(1) + " / " + lines.get(61));

        Path one = root.resolve("down").resolve("007.png");
        Cli single = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", one.toString());
        assertEquals(0, single.code(), single::toString);
        String row = lines.get(61 + 7);
        assertEquals("file,prediction,p_across,p_down\n" + one + row.substring(row.indexOf(',')) + "\n",
                single.out().replace("\r\n", "\n"));

        Path empty = Files.createDirectories(dir.resolve("no-pictures"));
        Files.writeString(empty.resolve("notes.txt"), "not a picture");
        Cli none = Cli.run("predict", "--backend", "scalar", "--model", model.toString(), "--input", empty.toString());
        assertEquals(1, none.code(), none::toString);
        assertTrue(none.err().contains("holds no picture") && none.err().strip().lines().count() == 1, none::toString);
    }

    @Test
    void aModelOfRowsRefusesPictures() throws IOException {
        Path root = bars();
        Path out = dir.resolve("rows");
        Cli train = Cli.run("train", "--backend", "scalar", "--dataset", "circles", "--hidden", "4", "--epochs", "1",
                "--out", out.toString());
        assertEquals(0, train.code(), train::toString);
        Cli r = Cli.run("predict", "--backend", "scalar", "--model", out.resolve("model.safetensors").toString(),
                "--input", root.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("takes inputs of shape [2], not pictures") && r.err().strip().lines().count() == 1,
                r::toString);
    }

    @Test
    void badFoldersAndSizesAreRefusedInOneLine() throws IOException {
        Path root = bars();
        String[][] cases = {
            {"--dataset", "images:" + dir.resolve("missing")},
            {"--dataset", "images"},
            {"--dataset", "images:" + root, "--image", "2x16x16"},
        };
        String[] expected = {"not a folder", "needs its folder", "1 channel (grayscale) or 3 (RGB)"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 7];
            args[0] = "train";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            System.arraycopy(new String[] {"--backend", "scalar", "--epochs", "1", "--out",
                dir.resolve("bad" + i).toString()}, 0, args, cases[i].length + 1, 6);
            Cli r = Cli.run(args);
            String why = expected[i];
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().startsWith("dendrite: ") && r.err().contains(why)
                    && r.err().strip().lines().count() == 1, () -> why + ": " + r);
        }
    }
}
