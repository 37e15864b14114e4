package dendrite.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs N ranks as threads of this JVM, joined in a ring on loopback: the tests' stand-in for N tasks. */
final class Rings {
    private Rings() {
    }

    /** What each rank's body returned, by rank; a rank's exception is rethrown as it was. */
    static <T> List<T> run(int ranks, Duration timeout, Function<RingAllReduce, T> body) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            ServerSocket s = RingAllReduce.listen(InetAddress.getLoopbackAddress());
            servers.add(s);
            addresses.add((InetSocketAddress) s.getLocalSocketAddress());
        }
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<T>> results = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                int rank = r;
                results.add(pool.submit(() -> {
                    try (RingAllReduce ring = RingAllReduce.join(rank, addresses, servers.get(rank), timeout)) {
                        return body.apply(ring);
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : results) {
                out.add(f.get(5 * timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS));
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            pool.shutdownNow();
            for (ServerSocket s : servers) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed by join
                }
            }
        }
    }
}
