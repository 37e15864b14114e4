package dendrite.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

class GemmAcceptanceTest {

    private static Result square(String backend, int n, String load, double us, double error) {
        return new Result("MatmulBenchmark.square", backend, Map.of("n", String.valueOf(n), "load", load), us, us, error,
                "us/op", Double.NaN, 5);
    }

    private static Result mlp(String backend, String shape, String load, double us, double error) {
        return new Result("MatmulBenchmark.mlp", backend, Map.of("shape", shape, "load", load), us, us, error, "us/op",
                Double.NaN, 5);
    }

    private static Map<String, GemmAcceptance.Check> checks(Result... results) {
        return GemmAcceptance.checks(GemmAcceptance.points(List.of(results))).stream()
                .collect(Collectors.toMap(c -> c.point() + " / " + c.bar(), c -> c));
    }

    @Test
    void aSquareProductNeedsOpenBlasSpeedAndAnErrorWithinTwiceItsOwn() {
        Map<String, GemmAcceptance.Check> c = checks(
                square("vector", 512, "quiet", 90, 2), square("netlib-native", 512, "quiet", 100, 1),
                square("vector", 1024, "quiet", 110, 1), square("netlib-native", 1024, "quiet", 100, 2),
                square("vector", 2048, "quiet", 100, 5), square("netlib-native", 2048, "quiet", 100, 2));
        assertTrue(c.get("512³, quiet / speed ≥ 1.0× OpenBLAS").holds());
        assertEquals("1.111×", c.get("512³, quiet / speed ≥ 1.0× OpenBLAS").measured());
        assertTrue(c.get("512³, quiet / error ≤ 2.00× OpenBLAS's").holds(), "exactly twice holds");
        assertFalse(c.get("1024³, quiet / speed ≥ 1.0× OpenBLAS").holds());
        assertTrue(c.get("1024³, quiet / error ≤ 2.00× OpenBLAS's").holds());
        assertTrue(c.get("2048³, quiet / speed ≥ 1.0× OpenBLAS").holds(), "level holds");
        assertFalse(c.get("2048³, quiet / error ≤ 2.00× OpenBLAS's").holds());
        assertEquals(6, c.size());
    }

    @Test
    void theMlpProductsNeedNineTenthsAndSmallSquaresAreNotJudged() {
        Map<String, GemmAcceptance.Check> c = checks(
                mlp("vector", "fc3.dX", "quiet", 4.0, 0.2), mlp("netlib-native", "fc3.dX", "quiet", 3.4, 0.1),
                mlp("vector", "fc1.fwd", "quiet", 300, 9), mlp("netlib-native", "fc1.fwd", "quiet", 280, 9),
                square("vector", 128, "quiet", 30, 1), square("netlib-native", 128, "quiet", 40, 1));
        assertFalse(c.get("fc3.dX, quiet / speed ≥ 0.9× OpenBLAS").holds(), "0.85 is under 0.9");
        assertTrue(c.get("fc1.fwd, quiet / speed ≥ 0.9× OpenBLAS").holds(), "0.93");
        assertEquals(2, c.size(), "no error bar on the MLP's products, no check of N = 128: " + c.keySet());
    }

    @Test
    void theBusyRatioMayFallATenthBelowTheQuietOne() {
        Map<String, GemmAcceptance.Check> c = checks(
                square("vector", 512, "quiet", 80, 1), square("netlib-native", 512, "quiet", 100, 1),
                square("vector", 512, "busy", 100, 1), square("netlib-native", 512, "busy", 115, 1),
                mlp("vector", "fc2.dX", "quiet", 50, 1), mlp("netlib-native", "fc2.dX", "quiet", 50, 1),
                mlp("vector", "fc2.dX", "busy", 100, 1), mlp("netlib-native", "fc2.dX", "busy", 80, 1));
        GemmAcceptance.Check square = c.get("512³, busy / busy ratio ≥ quiet − 0.1");
        assertTrue(square.holds(), square.measured());   // 1.15 against 1.25
        assertEquals("1.150 against 1.250 (-0.100)", square.measured());
        GemmAcceptance.Check fc2 = c.get("fc2.dX, busy / busy ratio ≥ quiet − 0.1");
        assertFalse(fc2.holds(), fc2.measured());   // 0.80 against 1.00
    }

    @Test
    void aMissingResultIsNotMeasuredAndNeverHolds() {
        Map<String, GemmAcceptance.Check> c = checks(
                square("vector", 1024, "quiet", 80, 1),
                mlp("vector", "fc3.fwd", "busy", 7, 1), mlp("netlib-native", "fc3.fwd", "busy", 7, 1),
                square("vector", 2048, "quiet", 100, Double.NaN), square("netlib-native", 2048, "quiet", 100, 1));
        assertFalse(c.get("1024³, quiet / speed ≥ 1.0× OpenBLAS").holds());
        assertEquals("not measured: no netlib-native result", c.get("1024³, quiet / speed ≥ 1.0× OpenBLAS").measured());
        assertFalse(c.get("fc3.fwd, busy / busy ratio ≥ quiet − 0.1").holds(), "no quiet run to compare with");
        assertFalse(c.get("2048³, quiet / error ≤ 2.00× OpenBLAS's").holds(), "no error, no judgement");
    }

    @Test
    void pointsComeSquaresFirstThenTheMlpLayerByLayerQuietBeforeBusy() {
        List<GemmAcceptance.Point> points = GemmAcceptance.points(List.of(
                mlp("vector", "fc3.dX", "busy", 4, 1), mlp("vector", "fc1.dW", "quiet", 4, 1),
                square("vector", 2048, "busy", 1, 1), square("vector", 512, "quiet", 1, 1),
                mlp("vector", "fc1.fwd", "quiet", 4, 1), square("vector", 2048, "quiet", 1, 1),
                mlp("vector", "fc3.dX", "quiet", 4, 1)));
        assertEquals(List.of("512³ quiet", "2048³ quiet", "2048³ busy", "fc1.fwd quiet", "fc1.dW quiet", "fc3.dX quiet",
                "fc3.dX busy"), points.stream().map(p -> p.product() + " " + p.load()).toList());
    }

    @Test
    void theMlpOrderIsTheBenchmarksShapeParameter() throws NoSuchFieldException {
        String[] shapes = MatmulBenchmark.Mlp.class.getField("shape").getAnnotation(Param.class).value();
        assertEquals(List.of(shapes), GemmAcceptance.MLP_ORDER);
    }

    @Test
    void theReportCountsTheChecksThatHold() {
        String md = GemmAcceptance.markdown(GemmAcceptance.points(List.of(
                square("vector", 512, "quiet", 90, 1), square("netlib-native", 512, "quiet", 100, 1),
                mlp("vector", "fc3.dX", "quiet", 4.0, 0.2), mlp("netlib-native", "fc3.dX", "quiet", 3.4, 0.1),
                new Result("EpochBenchmark.epoch", "vector", Map.of(), 500, 500, 5, "ms/op", Double.NaN, 5))), "a test CPU");
        assertTrue(md.contains("2 of 3 checks hold"), md);
        assertTrue(md.contains("| fc3.dX, quiet | speed ≥ 0.9× OpenBLAS | 0.850× | **no** |"), md);
        assertFalse(md.contains("EpochBenchmark"), md);
    }

    @Test
    void eachForksMeanIsListedBesideTheScore() {
        Result vector = new Result("MatmulBenchmark.mlp", "vector", Map.of("shape", "fc3.dX", "load", "quiet"), 3.9, 3.9,
                0.2, "us/op", Double.NaN, 15, List.of(3.84, 3.49, 4.25));
        Result openblas = mlp("netlib-native", "fc3.dX", "quiet", 3.5, 0.1);
        String md = GemmAcceptance.markdown(GemmAcceptance.points(List.of(vector, openblas)), "a test CPU");
        assertEquals("3.84 / 3.49 / 4.25", GemmAcceptance.forks(vector));
        assertEquals("", GemmAcceptance.forks(openblas), "no fork means known, none printed");
        assertTrue(md.contains("| 0.90 | 2.00 | 3.84 / 3.49 / 4.25 |  |"), md);
    }

    @Test
    void theQuietSquaresAreSetAgainstTheTwoThreadPeakWhenItWasMeasured() {
        // 2 * 512^3 flops in 1,342.18 us: 200 GFLOPS; in 1,220.16 us: 220. The peak: 160,000 calls a
        // second of FLOPS_PER_CALL (1,572,864) flops, 251.66 GFLOPS.
        List<Result> results = List.of(
                square("vector", 512, "quiet", 1342.177, 1), square("netlib-native", 512, "quiet", 1220.161, 1),
                square("vector", 512, "busy", 2000, 1), square("netlib-native", 512, "busy", 2000, 1),
                new Result("FmaPeakBenchmark.oneThread", "-", Map.of(), 80_000, 80_000, 10, "ops/s", Double.NaN, 5),
                new Result("FmaPeakBenchmark.twoThreads", "-", Map.of(), 150_000, 160_000, 10, "ops/s", Double.NaN, 5));
        double peak = GemmAcceptance.twoThreadPeak(results);
        assertEquals(251.658, peak, 0.001, "JMH's mean of the two-thread benchmark, not the one-thread one");
        String md = GemmAcceptance.markdown(GemmAcceptance.points(results), peak, "a test CPU");
        assertTrue(md.contains("FmaPeakBenchmark.twoThreads, 252 GFLOPS"), md);
        assertTrue(md.contains("| 512³ | 200 | 220 | 79 % | 87 % |"), md);
        assertEquals(1, md.lines().filter(l -> l.startsWith("| 512³ | 2")).count(), "the busy run is not set against the peak: " + md);
        assertTrue(md.contains("2 of 3 checks hold"), "the peak is no check: " + md);
        assertTrue(Double.isNaN(GemmAcceptance.twoThreadPeak(results.subList(0, 4))));
        assertFalse(GemmAcceptance.markdown(GemmAcceptance.points(results.subList(0, 4)), "a test CPU").contains("peak"));
    }

    @Test
    void twoRunsResultsForOneProductAreRefusedNotOneSilentlyKept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmAcceptance.points(List.of(
                square("vector", 512, "quiet", 90, 1), square("netlib-native", 512, "quiet", 100, 1),
                square("vector", 512, "busy", 90, 1), square("vector", 512, "quiet", 95, 1))));
        assertEquals("gemm acceptance: two results for vector at 512³ quiet; give the files of one run", e.getMessage());
    }
}
