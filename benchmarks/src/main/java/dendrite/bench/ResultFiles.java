package dendrite.bench;

import dendrite.nn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads results: JMH's JSON ({@code -rf json -rff results.json}), and the peers' JSON that
 * peers/torch_mlp.py writes ({@code {"peer": "pytorch", ..., "results": [{"benchmark", "unit",
 * "median", "runs"}]}}, with JMH's benchmark names so the two line up).
 */
final class ResultFiles {
    private ResultFiles() {
    }

    /** What a results file says about the run beside its results: JDK, JVM flags, peer version. */
    record Run(List<Result> results, Map<String, String> about) {
    }

    static Run read(Path file) throws IOException {
        Object json = Json.parse(Files.readString(file));
        if (json instanceof List<?> jmh) {
            return fromJmh(jmh);
        }
        if (json instanceof Map<?, ?> peer && peer.containsKey("results")) {
            return fromPeer(peer);
        }
        throw new IllegalArgumentException("report: " + file + " is neither JMH's JSON output (an array) nor a"
                + " peer's results (an object with \"results\")");
    }

    static Run fromJmh(List<?> entries) {
        List<Result> results = new ArrayList<>();
        Map<String, String> about = new LinkedHashMap<>();
        for (Object o : entries) {
            Map<?, ?> e = (Map<?, ?>) o;
            if (about.isEmpty()) {
                about.put("JDK", e.get("jdkVersion") + " (" + e.get("vmName") + " " + e.get("vmVersion") + ")");
                about.put("JVM flags", String.join(" ", strings(e.get("jvmArgs"))));
                about.put("JMH", String.valueOf(e.get("jmhVersion")));
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (e.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            String backend = params.remove("backend");
            Map<?, ?> primary = (Map<?, ?>) e.get("primaryMetric");
            List<?> raw = (List<?>) primary.get("rawData");
            double alloc = Double.NaN;
            if (e.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
                for (Map.Entry<?, ?> s : secondary.entrySet()) {
                    if (String.valueOf(s.getKey()).endsWith("gc.alloc.rate.norm")) {
                        alloc = number(((Map<?, ?>) s.getValue()).get("score"));
                    }
                }
            }
            results.add(new Result(shortName(String.valueOf(e.get("benchmark"))), backend == null ? "-" : backend,
                    params, Result.median(raw), number(primary.get("score")), number(primary.get("scoreError")),
                    String.valueOf(primary.get("scoreUnit")), alloc, Result.count(raw), Result.forkMeans(raw)));
        }
        return new Run(results, about);
    }

    static Run fromPeer(Map<?, ?> peer) {
        String name = String.valueOf(peer.get("peer"));
        List<String> facts = new ArrayList<>();
        for (Map.Entry<?, ?> e : peer.entrySet()) {
            if (!e.getKey().equals("results") && !e.getKey().equals("peer")) {
                facts.add(e.getKey() + " " + e.getValue());
            }
        }
        Map<String, String> about = new LinkedHashMap<>();
        about.put("Peer " + name, String.join(", ", facts));
        List<Result> results = new ArrayList<>();
        for (Object o : (List<?>) peer.get("results")) {
            Map<?, ?> r = (Map<?, ?>) o;
            List<?> runs = r.get("runs") instanceof List<?> l ? l : List.of();
            // The benchmarks' model parameter; files from before it was added timed the MLP alone.
            Map<String, String> params = new LinkedHashMap<>(Map.of("model", "mlp"));
            if (r.get("params") instanceof Map<?, ?> p) {
                params.clear();
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            results.add(new Result(String.valueOf(r.get("benchmark")), name, params, number(r.get("median")),
                    runs.isEmpty() ? number(r.get("median")) : runs.stream().mapToDouble(ResultFiles::number).average().orElseThrow(),
                    Double.NaN, String.valueOf(r.get("unit")), Double.NaN, runs.size()));
        }
        return new Run(results, about);
    }

    /** {@code dendrite.bench.MatmulBenchmark.square} becomes {@code MatmulBenchmark.square}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** JMH writes numbers, except "NaN" (and infinities) as strings. */
    static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
