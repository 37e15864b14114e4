package dendrite.nn.reliability;

import dendrite.nn.data.CsvReader;
import dendrite.nn.internal.IdxReader;
import java.nio.file.Path;

/** Run by {@link LargeInputTest} in a JVM with a small heap: loads a file and prints what happened. */
public final class LoadInSmallHeapChild {
    private LoadInSmallHeapChild() {
    }

    public static void main(String[] args) {
        try {
            Path file = Path.of(args[1]);
            if (args[0].equals("csv")) {
                System.out.println("loaded " + new CsvReader().label("y").read(file).size() + " rows");
            } else {
                System.out.println("loaded " + IdxReader.read(file).length() + " values");
            }
        } catch (Exception e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
