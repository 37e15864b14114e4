package dendrite.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another tenant for the "busy machine" measurements: a separate JVM that keeps one core busy with
 * arithmetic until it is stopped, or until the JVM that started it ends (it exits when its standard
 * input closes). MatmulBenchmark's {@code load=busy} runs its products beside one.
 */
final class Burner implements AutoCloseable {
    private final Process process;

    private Burner(Process process) {
        this.process = process;
    }

    /** Starts a burner process; it spins from the moment it has started. */
    static Burner start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Burner.class.getName())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new Burner(p);
        } catch (IOException e) {
            throw new IllegalStateException("load=busy: cannot start the burner process: " + e.getMessage(), e);
        }
    }

    /** Whether the burner process is still running. */
    boolean running() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.getOutputStream().close();
            process.waitFor();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** The burner itself: spins on one core; ends when standard input closes (its parent is gone). */
    public static void main(String[] args) throws IOException {
        Thread spinner = new Thread(() -> {
            double x = 1;
            while (true) {
                x = x * 1.0000001 + 1e-9;
                if (x > 1e300) {
                    x = 1;
                }
            }
        }, "burner");
        spinner.setDaemon(true);
        spinner.start();
        while (System.in.read() >= 0) {
            // wait for the parent to close the pipe
        }
        System.exit(0);
    }
}
