package dendrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OldInPlaceTest {
    @TempDir
    Path dir;

    @Test
    void everyFileOfARunIsRenamedIntoPlaceNotWrittenInPlace() throws Exception {
        Path out = dir.resolve("all-linked");
        Files.createDirectories(out);
        List<String> names = List.of("model.safetensors", "curves.png", "history.csv", "confusion.png", "boundary.png");
        for (String name : names) {
            Path victim = dir.resolve("victim-" + name);
            Files.writeString(victim, "keep me");
            Files.createSymbolicLink(out.resolve(name), victim);
        }
        Cli r = Cli.run("train", "--backend", "scalar", "--dataset", "moons", "--epochs", "2", "--force", "--out", out.toString());
        System.out.println("EXIT " + r.code() + " ERR " + r.err());
        for (String name : names) {
            System.out.println("VICTIM " + name + " unchanged=" + Files.readString(dir.resolve("victim-" + name), java.nio.charset.StandardCharsets.ISO_8859_1).equals("keep me"));
        }
    }
}
