package dendrite.spark;

import dendrite.nn.Sequential;
import dendrite.nn.io.CheckpointFile;
import dendrite.nn.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Training checkpoints in a folder any Hadoop file system serves ({@code file:}, {@code hdfs:},
 * {@code s3a:}, ...), so that a retried stage, on whichever executors it lands, continues from the
 * last finished epoch.
 *
 * <p>Each checkpoint is written whole under a temporary name and then renamed to
 * {@code epoch-NNNNN.safetensors}: a reader sees a complete checkpoint or none, never half of one. A
 * rename does not replace an existing file on every Hadoop file system, which is why each epoch gets
 * its own name; the one before the newest is kept, the older ones deleted.
 */
final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{5})\\.safetensors");

    private final Path folder;
    private final FileSystem fs;

    CheckpointStore(String folder) {
        try {
            this.folder = new Path(URI.create(folder));
            this.fs = this.folder.getFileSystem(new Configuration());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("spark trainer: checkpoint folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint's epoch count, or 0 when the folder holds none (or does not exist). */
    int latest() {
        try {
            if (!fs.exists(folder)) {
                return 0;
            }
            int best = 0;
            for (FileStatus s : fs.listStatus(folder)) {
                Matcher m = NAME.matcher(s.getPath().getName());
                if (m.matches()) {
                    best = Math.max(best, Integer.parseInt(m.group(1)));
                }
            }
            return best;
        } catch (IOException e) {
            throw new UncheckedIOException("spark trainer: cannot list checkpoint folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Restores the model and the optimizer from the checkpoint after {@code epochs} epochs. */
    CheckpointFile.Progress restore(int epochs, Sequential model, Optimizer optimizer) {
        Path remote = new Path(folder, name(epochs));
        java.nio.file.Path local = null;
        try {
            local = Files.createTempFile("dendrite-checkpoint", ".safetensors");
            try (var in = fs.open(remote)) {
                Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return CheckpointFile.restore(local, model, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException("spark trainer: cannot resume from " + remote + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(local);
        }
    }

    /** Writes the checkpoint after {@code epochs} epochs (with {@code extra} strings to keep), then deletes all but it and the one before. */
    void save(int epochs, Sequential model, Optimizer optimizer, Map<String, String> extra) {
        Path target = new Path(folder, name(epochs));
        Path partial = new Path(folder, "." + name(epochs) + ".partial");
        java.nio.file.Path local = null;
        try {
            local = Files.createTempFile("dendrite-checkpoint", ".safetensors");
            CheckpointFile.save(local, model, optimizer, epochs, extra);
            fs.mkdirs(folder);
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), partial);
            fs.delete(target, false);
            if (!fs.rename(partial, target)) {
                throw new IOException("renaming " + partial + " to " + target + " failed");
            }
            for (FileStatus s : fs.listStatus(folder)) {
                Matcher m = NAME.matcher(s.getPath().getName());
                if (m.matches() && Integer.parseInt(m.group(1)) < epochs - 1) {
                    fs.delete(s.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spark trainer: cannot write checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(local);
        }
    }

    private static String name(int epochs) {
        return String.format(java.util.Locale.ROOT, "epoch-%05d.safetensors", epochs);
    }

    private static void deleteQuietly(java.nio.file.Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
