package dendrite.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The line from rank 0 back to the driver that carries each epoch's numbers and each step's loss to
 * the {@link EpochListener}s and {@link StepListener}s while the stage runs: the driver listens, rank 0
 * connects once and writes one line per step ({@code step <epoch> <step> <loss>}, when a step listener
 * waits) and per epoch ({@code <epoch> key=value ...}).
 */
final class EpochChannel implements AutoCloseable {
    private final ServerSocket server;
    private final Thread reader;
    private volatile Throwable listenerFailure;

    /** Listens on every interface of the driver and hands each epoch's and step's line to the listeners. */
    EpochChannel(List<EpochListener> listeners, List<StepListener> stepListeners) {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(0));
        } catch (IOException e) {
            throw new UncheckedIOException("spark trainer: cannot open the driver's socket for listeners", e);
        }
        reader = new Thread(() -> {
            try (Socket s = server.accept();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("step ")) {                  // step <epoch> <step> <loss>
                        String[] p = line.split(" ");
                        int epoch = Integer.parseInt(p[1]);
                        int step = Integer.parseInt(p[2]);
                        double loss = Double.parseDouble(p[3]);
                        callEach(stepListeners, l -> l.onStepEnd(epoch, step, loss));
                        continue;
                    }
                    String[] parts = line.split(" ");
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    for (int i = 1; i < parts.length; i++) {
                        int eq = parts[i].indexOf('=');
                        metrics.put(parts[i].substring(0, eq), Double.parseDouble(parts[i].substring(eq + 1)));
                    }
                    int epoch = Integer.parseInt(parts[0]);
                    Map<String, Double> view = Collections.unmodifiableMap(metrics);
                    callEach(listeners, l -> l.onEpochEnd(epoch, view));
                }
            } catch (IOException e) {
                // the channel closed: the run ended or failed, which fit reports
            }
        }, "dendrite-spark-epochs");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Calls each listener in turn until one fails. After a failure the lines are still read (rank 0
     * must never block on a full socket), but no listener is called again.
     */
    private <T> void callEach(List<T> each, Consumer<T> call) {
        for (int i = 0; i < each.size() && listenerFailure == null; i++) {
            try {
                call.accept(each.get(i));
            } catch (RuntimeException | Error e) {
                listenerFailure = e;
            }
        }
    }

    /** The port rank 0 connects to. */
    int port() {
        return server.getLocalPort();
    }

    /** Waits (briefly) for the last lines to be handed out, then closes; rethrows a listener's failure. */
    @Override
    public void close() {
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing is waiting on it any more
        }
        if (listenerFailure instanceof RuntimeException r) {
            throw r;
        }
        if (listenerFailure instanceof Error e) {
            throw e;
        }
    }

    /** Rank 0's end: connects to the driver and writes one line per epoch. */
    static final class Sender implements AutoCloseable {
        private final Socket socket;
        private final PrintWriter out;

        Sender(String host, int port) {
            try {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(socket.getOutputStream(),
                        StandardCharsets.UTF_8)), true);
            } catch (IOException e) {
                throw new UncheckedIOException("spark trainer: rank 0 cannot reach the driver at " + host + ":" + port
                        + " to report epochs to its listeners", e);
            }
        }

        void step(int epoch, int step, double loss) {
            out.println("step " + epoch + " " + step + " " + loss);
        }

        void epoch(int epoch, Map<String, Double> metrics) {
            StringBuilder line = new StringBuilder(Integer.toString(epoch));
            metrics.forEach((k, v) -> line.append(' ').append(k).append('=').append(Double.toString(v)));
            out.println(line);
        }

        @Override
        public void close() {
            out.flush();
            try {
                socket.close();
            } catch (IOException ignored) {
                // the driver sees the end of the stream either way
            }
        }
    }
}
