package dendrite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhRoundsTest {

    /** One entry of a real JMH run: MatmulBenchmark.square, vector, N = 2048, five forks of five iterations. */
    private static Map<?, ?> fiveForks() throws IOException {
        try (InputStream in = JmhRoundsTest.class.getResourceAsStream("/jmh-five-forks.json")) {
            return (Map<?, ?>) ((List<?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))).get(0);
        }
    }

    private static Map<?, ?> metric(Map<?, ?> entry) {
        return (Map<?, ?>) entry.get("primaryMetric");
    }

    /** The entry as a round of one fork would have written it: fork {@code f}'s iterations alone. */
    private static Map<String, Object> oneFork(Map<?, ?> entry, int f) {
        Map<String, Object> copy = new LinkedHashMap<>();
        entry.forEach((k, v) -> copy.put(String.valueOf(k), v));
        Map<String, Object> m = new LinkedHashMap<>();
        metric(entry).forEach((k, v) -> m.put(String.valueOf(k), v));
        m.put("rawData", List.of(((List<?>) m.get("rawData")).get(f)));
        m.put("score", 0.0);   // a round's own statistics are not used
        copy.put("primaryMetric", m);
        copy.put("forks", 1);
        return copy;
    }

    private static Map<?, ?> withParam(Map<String, Object> entry, String key, String value) {
        Map<String, Object> params = new LinkedHashMap<>();
        ((Map<?, ?>) entry.get("params")).forEach((k, v) -> params.put(String.valueOf(k), v));
        params.put(key, value);
        entry.put("params", params);
        return entry;
    }

    @Test
    void fiveRoundsOfOneForkGiveWhatJmhComputedForFiveForks() throws IOException {
        Map<?, ?> jmh = fiveForks();
        List<List<?>> rounds = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            rounds.add(List.of(oneFork(jmh, f)));
        }
        List<Object> joined = JmhRounds.join(rounds);
        assertEquals(1, joined.size());
        Map<?, ?> e = (Map<?, ?>) joined.get(0);
        assertEquals(5, ((Number) e.get("forks")).intValue());
        Map<?, ?> m = metric(e);
        Map<?, ?> expected = metric(jmh);
        assertEquals(ResultFiles.number(expected.get("score")), ResultFiles.number(m.get("score")), 1e-9);
        assertEquals(ResultFiles.number(expected.get("scoreError")), ResultFiles.number(m.get("scoreError")), 1e-9);
        assertEquals(expected.get("rawData"), m.get("rawData"), "the forks in round order");
        Map<?, ?> p = (Map<?, ?>) m.get("scorePercentiles");
        Map<?, ?> q = (Map<?, ?>) expected.get("scorePercentiles");
        assertEquals(q.keySet(), p.keySet());
        for (Object k : q.keySet()) {
            assertEquals(ResultFiles.number(q.get(k)), ResultFiles.number(p.get(k)), 1e-9, "percentile " + k);
        }
        // And the report's reading of the joined file is the reading of JMH's own.
        Result read = ResultFiles.fromJmh(joined).results().get(0);
        Result own = ResultFiles.fromJmh(List.of(jmh)).results().get(0);
        assertEquals(own.forkMeans(), read.forkMeans());
        assertEquals(own.median(), read.median(), 0);
    }

    @Test
    void aBenchmarkMissingFromARoundIsJoinedFromTheOthers() throws IOException {
        Map<?, ?> jmh = fiveForks();
        Map<?, ?> other = withParam(oneFork(jmh, 0), "n", "512");
        List<Object> joined = JmhRounds.join(List.of(List.of(oneFork(jmh, 0), other), List.of(oneFork(jmh, 1))));
        assertEquals(2, joined.size());
        assertEquals(2, ((Number) ((Map<?, ?>) joined.get(0)).get("forks")).intValue());
        assertEquals(1, ((Number) ((Map<?, ?>) joined.get(1)).get("forks")).intValue());
        assertTrue(metric((Map<?, ?>) joined.get(1)).get("scoreError") instanceof Double d && Double.isFinite(d),
                "one fork of five iterations has an error of its own");
    }

    @Test
    void oneIterationHasNoErrorAsInJmh() throws IOException {
        Map<String, Object> e = oneFork(fiveForks(), 0);
        Map<String, Object> m = new LinkedHashMap<>();
        metric(e).forEach((k, v) -> m.put(String.valueOf(k), v));
        m.put("rawData", List.of(List.of(1.0)));
        e.put("primaryMetric", m);
        Map<?, ?> joined = (Map<?, ?>) JmhRounds.join(List.of(List.of(e))).get(0);
        assertEquals("NaN", metric(joined).get("scoreError"));
        assertTrue(Json.write(JmhRounds.join(List.of(List.of(e)))).contains("\"scoreError\":\"NaN\""),
                "written as JMH writes it, not refused as a non-finite number");
    }

    @Test
    void roundsThatMeasuredDifferentlyOrTwiceAreRefused() throws IOException {
        Map<?, ?> jmh = fiveForks();
        Map<String, Object> longer = oneFork(jmh, 1);
        longer.put("measurementIterations", 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhRounds.join(List.of(List.of(oneFork(jmh, 0)), List.of(longer))));
        assertTrue(e.getMessage().contains("measurementIterations 5 in one round and 10 in round 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JmhRounds.join(List.of(List.of(oneFork(jmh, 0), oneFork(jmh, 1)))));
        assertTrue(e.getMessage().contains("round 1 holds"), e.getMessage());
    }
}
