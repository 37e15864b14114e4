package dendrite.nn.reliability;

import dendrite.nn.data.CsvReader;
import dendrite.nn.internal.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run by {@link LargeInputTest} in a JVM with a small heap: loads a file and prints what happened. */
public final class LoadInSmallHeapChild {
    private LoadInSmallHeapChild() {
    }

    public static void main(String[] args) throws java.io.IOException {
        try {
            Path file = Path.of(args[1]);
            if (args[0].equals("csv")) {
                System.out.println("loaded " + new CsvReader().label("y").read(file).size() + " rows");
            } else if (args[0].equals("csv-rss")) {
                int rows = new CsvReader().label("y").read(file).size();
                // VmHWM: the peak resident set of this process, in kB
                String peak = Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("VmHWM: -1 kB");
                System.out.println("loaded " + rows + " rows, peak " + peak.replaceAll("\\D+", " ").trim() + " kB");
            } else {
                System.out.println("loaded " + IdxReader.read(file).length() + " values");
            }
        } catch (Exception e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
