package dendrite.backend.opencl;

import dendrite.tensor.Availability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks the OpenCL driver for its devices in a separate JVM before this one loads it: a driver that
 * crashes (a segfault aborts the whole JVM, whatever the code catches) or hangs in
 * {@code clGetPlatformIDs} then costs the OpenCL backend, not the application. The verdict is
 * cached per user, keyed by the installed drivers ({@code /etc/OpenCL/vendors}) and the Java
 * runtime, so the child runs once per installation, not once per start.
 *
 * <p>{@code -Ddendrite.opencl.probe=inprocess} skips the child (where processes cannot be
 * started); the probe then runs in this JVM as before.
 */
final class ClDriverCheck {
    static final String MODE_PROPERTY = "dendrite.opencl.probe";
    /** For tests: the class the child runs instead of {@link dendrite.backend.opencl.internal.DriverCheckChild}. */
    static final String MAIN_PROPERTY = "dendrite.opencl.probe.main";
    static final String OK = "ok";
    /** Seconds the child may take ({@code -Ddendrite.opencl.probe.timeout}, default 30). */
    static final String TIMEOUT_PROPERTY = "dendrite.opencl.probe.timeout";

    private ClDriverCheck() {
    }

    /** Why the driver must not be loaded in this JVM, or null when it may (or the check is off). */
    static Availability trouble() {
        if ("inprocess".equals(System.getProperty(MODE_PROPERTY))) {
            return null;
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.isBlank()) {
            return null;     // on the module path alone: no class path to hand a child; probe here
        }
        Path cache = cacheFile();
        String cached = read(cache);
        if (cached != null) {
            return cached.equals(OK) ? null : Availability.unavailable(cached, ClBackendProvider.FIX);
        }
        String verdict = runChild(classPath);
        write(cache, verdict);
        return verdict.equals(OK) ? null : Availability.unavailable(verdict, ClBackendProvider.FIX);
    }

    /** "ok", or why the driver is unusable, from a child JVM that loads it. */
    static String runChild(String classPath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String main = System.getProperty(MAIN_PROPERTY, dendrite.backend.opencl.internal.DriverCheckChild.class.getName());
        Process p;
        try {
            p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath, main)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return OK;       // cannot start a process here: fall back to probing in this JVM
        }
        try {
            long timeout = Long.getLong(TIMEOUT_PROPERTY, 30);
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the OpenCL driver did not answer within " + timeout
                        + " s when probed in a separate process (it hangs), so it is not loaded";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "the OpenCL driver probe was interrupted";
        }
        int code = p.exitValue();
        return code == 0 ? OK : "the OpenCL driver crashed (exit code " + code
                + ") when probed in a separate process, so it is not loaded";
    }

    /** A file per user and installation: the drivers registered and the Java runtime. */
    static Path cacheFile() {
        List<String> key = new ArrayList<>();
        key.add(System.getProperty("java.home"));
        key.add(System.getProperty(MAIN_PROPERTY, ""));
        Path vendors = Path.of("/etc/OpenCL/vendors");
        if (Files.isDirectory(vendors)) {
            try (DirectoryStream<Path> icds = Files.newDirectoryStream(vendors)) {
                for (Path icd : icds) {
                    key.add(icd.getFileName() + "@" + Files.getLastModifiedTime(icd).toMillis() + ":"
                            + Files.readString(icd).trim());
                }
            } catch (IOException e) {
                key.add("unreadable vendors");
            }
        }
        key.sort(null);
        String name = "dendrite-opencl-probe-" + System.getProperty("user.name", "user") + "-"
                + Integer.toHexString(String.join("|", key).hashCode()) + ".txt";
        return Path.of(System.getProperty("java.io.tmpdir"), name);
    }

    private static String read(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path f, String verdict) {
        try {
            Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            Files.writeString(tmp, verdict, StandardCharsets.UTF_8);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // no cache: the child runs again next time
        }
    }
}
