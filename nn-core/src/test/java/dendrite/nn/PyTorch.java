package dendrite.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Python with PyTorch for the tests that compare with it: Debian's {@code python3-torch}
 * ({@code /usr/bin/python3}, or {@code -Ddendrite.pytorch.python}). Without it the calling test is
 * skipped saying so, unless {@code -Ddendrite.pytorch.require=true} (as CI runs), which fails it.
 *
 * <p>The programs run one after another in one Python process per test JVM ({@code pytorch/worker.py}
 * in the test resources), which imports torch once: importing it took longer than most programs, and
 * these tests most of nn-core's test time. Each program still starts as in a new process (a fresh
 * namespace; torch's default dtype, grad mode and thread count put back, and a new random seed).
 * {@code -Ddendrite.pytorch.worker=false} starts a process for every program instead.
 */
public final class PyTorch {
    /** How long one program may run. */
    private static final long LIMIT_SECONDS = 120;

    private static Worker worker;

    private PyTorch() {
    }

    private static String python() {
        return System.getProperty("dendrite.pytorch.python", "/usr/bin/python3");
    }

    /** Runs {@code python3 args...} and returns what it printed; fails the test if it fails. */
    public static String run(List<String> args) throws IOException, InterruptedException {
        if ("false".equals(System.getProperty("dendrite.pytorch.worker"))) {
            return runAlone(args);
        }
        synchronized (PyTorch.class) {
            if (worker == null) {
                worker = Worker.start();
            }
            Worker.Reply reply;
            try {
                reply = worker.run(args);
            } catch (IOException e) {
                String why = worker.ended();
                worker = null;
                fail("the PyTorch worker stopped: " + why + " (" + e.getMessage() + ")");
                return "";
            }
            if (reply.status() != 0) {
                fail("the PyTorch script failed:\n" + reply.text());
            }
            return reply.text();
        }
    }

    /** Runs a Python program given as text (as {@code python3 -c} would). */
    public static String runCode(String code) throws IOException, InterruptedException {
        return run(List.of("-c", code));
    }

    /**
     * Runs a Python program that prints lines {@code name v1 v2 ...} (outputs, gradients by name) and
     * returns them by name, in order, as doubles.
     */
    public static java.util.Map<String, double[]> namedValues(String code) throws IOException, InterruptedException {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (String line : runCode(code).strip().split("\\n")) {
            String[] parts = line.trim().split(" ");
            out.put(parts[0], java.util.Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
        }
        return out;
    }

    /**
     * An elementwise module's output and input gradient, {@code module} a Python expression such as
     * {@code torch.nn.SiLU()}, on x with the output gradient dy: {y, dx} in float32, then {y, dx} in float64.
     */
    public static double[][] elementwiseGradients(String module, float[] x, float[] dy)
            throws IOException, InterruptedException {
        String code = String.format(java.util.Locale.ROOT, """
                import torch
                f = %s
                for dtype in (torch.float32, torch.float64):
                    x = torch.tensor([%s], dtype=torch.float32).to(dtype).requires_grad_()
                    dy = torch.tensor([%s], dtype=torch.float32).to(dtype)
                    y = f(x)
                    y.backward(dy)
                    print(' '.join(repr(v) for v in y.detach().tolist()))
                    print(' '.join(repr(v) for v in x.grad.tolist()))
                """, module, list(x), list(dy));
        String[] lines = runCode(code).strip().split("\n");
        double[][] out = new double[4][];
        for (int k = 0; k < 4; k++) {
            out[k] = java.util.Arrays.stream(lines[lines.length - 4 + k].trim().split(" "))
                    .mapToDouble(Double::parseDouble).toArray();
        }
        return out;
    }

    /**
     * In float64, a module's output {@code out}, {@code dx} and each parameter's gradient by its PyTorch
     * name, for the loss {@code sum(out * g)} on x of {@code shape} (Python's, e.g. {@code "3, 6, 5"}),
     * after copying {@code weights} into the parameters of those names.
     */
    public static java.util.Map<String, double[]> moduleGradients(String module, String shape, float[] x, float[] g,
            java.util.Map<String, float[]> weights) throws IOException, InterruptedException {
        StringBuilder assign = new StringBuilder();
        for (java.util.Map.Entry<String, float[]> w : weights.entrySet()) {
            assign.append(String.format(java.util.Locale.ROOT, "    m.%s.copy_(torch.tensor([%s]))%n", w.getKey(),
                    list(w.getValue())));
        }
        String code = String.format(java.util.Locale.ROOT, """
                import torch
                torch.set_default_dtype(torch.float64)
                m = %s
                with torch.no_grad():
                    pass
                %s
                x = torch.tensor([%s]).reshape(%s).requires_grad_(True)
                y = m(x)
                (y * torch.tensor([%s]).reshape(y.shape)).sum().backward()
                def show(name, t):
                    print(name, ' '.join(repr(v) for v in t.detach().reshape(-1).tolist()))
                show('out', y)
                show('dx', x.grad)
                for name, p in m.named_parameters():
                    show(name, p.grad)
                """, module, assign, list(x), shape, list(g));
        return namedValues(code);
    }

    /** {@code v} as a Python list's items, every float exactly ({@code %.9e}). */
    public static String list(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float f : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.9e", f));
        }
        return sb.toString();
    }

    /** {@code python3 args...} in a process of its own. */
    private static String runAlone(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python()));
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            unavailable("cannot start " + python() + ": " + e.getMessage());
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the PyTorch script did not finish in " + LIMIT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            if (out.contains("No module named 'torch'")) {
                unavailable(python() + " has no torch (apt-get install python3-torch)");
            }
            fail("the PyTorch script failed:\n" + out);
        }
        return out;
    }

    private static void unavailable(String reason) {
        if (Boolean.getBoolean("dendrite.pytorch.require")) {
            fail(reason + " (and -Ddendrite.pytorch.require=true requires PyTorch)");
        }
        Assumptions.abort(reason + " (skipped; -Ddendrite.pytorch.require=true makes this a failure)");
    }

    /** The Python process that runs the programs, and the conversation with it (see worker.py). */
    private static final class Worker {
        private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pytorch-watchdog");
            t.setDaemon(true);
            return t;
        });

        record Reply(int status, String text) {
        }

        private final Process process;
        private final OutputStream requests;
        private final DataInputStream replies;
        private final File log;
        private volatile boolean timedOut;

        private Worker(Process process, File log) {
            this.process = process;
            this.requests = process.getOutputStream();
            this.replies = new DataInputStream(process.getInputStream());
            this.log = log;
        }

        /** Starts the worker and waits for torch to be imported; skips or fails the test without torch. */
        static Worker start() throws IOException, InterruptedException {
            File log = File.createTempFile("pytorch-worker", ".log");
            log.deleteOnExit();
            Process p;
            try {
                p = new ProcessBuilder(python(), "-u", script().toString())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log))
                        .start();
            } catch (IOException e) {
                unavailable("cannot start " + python() + ": " + e.getMessage());
                return null;
            }
            Worker w = new Worker(p, log);
            Reply hello;
            try {
                hello = w.watched(w::reply);
            } catch (IOException e) {
                fail("the PyTorch worker did not start: " + w.ended() + " (" + e.getMessage() + ")");
                return null;
            }
            if (hello.status() == 3) {
                p.destroy();
                unavailable(python() + " cannot import torch: " + hello.text() + " (apt-get install python3-torch)");
            } else if (hello.status() != 0) {
                p.destroy();
                fail("the PyTorch worker did not start: " + hello.text());
            }
            return w;
        }

        private static Path script() {
            try {
                return Path.of(PyTorch.class.getResource("/pytorch/worker.py").toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        Reply run(List<String> args) throws IOException, InterruptedException {
            byte[][] encoded = new byte[args.size()][];
            for (int i = 0; i < args.size(); i++) {
                encoded[i] = args.get(i).getBytes(StandardCharsets.UTF_8);
            }
            requests.write((args.size() + "\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] arg : encoded) {
                requests.write((arg.length + "\n").getBytes(StandardCharsets.US_ASCII));
                requests.write(arg);
            }
            requests.flush();
            return watched(this::reply);
        }

        private interface Read<T> {
            T read() throws IOException;
        }

        /** Runs {@code read}, ending the worker if it takes longer than {@link #LIMIT_SECONDS}. */
        private <T> T watched(Read<T> read) throws IOException {
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
                timedOut = true;
                process.destroyForcibly();
            }, LIMIT_SECONDS, TimeUnit.SECONDS);
            try {
                return read.read();
            } finally {
                alarm.cancel(false);
            }
        }

        private Reply reply() throws IOException {
            String header = line();
            int space = header.indexOf(' ');
            if (space < 0) {
                throw new IOException("a reply began with \"" + header + "\"");
            }
            int status;
            int length;
            try {
                status = Integer.parseInt(header.substring(0, space));
                length = Integer.parseInt(header.substring(space + 1));
            } catch (NumberFormatException e) {
                // An IOException, as for any other broken reply, so that the next test starts a new worker.
                throw new IOException("a reply began with \"" + header + "\"", e);
            }
            byte[] text = new byte[length];
            replies.readFully(text);
            return new Reply(status, new String(text, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = replies.read(); c != '\n'; c = replies.read()) {
                if (c < 0) {
                    throw new EOFException("no reply");
                }
                sb.append((char) c);
            }
            return sb.toString();
        }

        /** Why the worker is gone: it ran past the limit, or exited (with what it wrote to standard error). */
        String ended() throws InterruptedException {
            if (timedOut) {
                return "a script did not finish in " + LIMIT_SECONDS + " s";
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            String err;
            try {
                err = java.nio.file.Files.readString(log.toPath());
            } catch (IOException e) {
                err = "(" + log + " unreadable: " + e.getMessage() + ")";
            }
            return "python exited with status " + (process.isAlive() ? "(still running)" : process.exitValue())
                    + (err.isBlank() ? "" : ", standard error:\n" + err);
        }
    }
}
