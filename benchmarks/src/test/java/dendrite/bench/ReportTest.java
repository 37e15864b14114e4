package dendrite.bench;

import dendrite.nn.internal.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    /** One JMH result entry as JMH 1.37 writes it, reduced to the fields the report reads. */
    private static String jmhEntry(String method, String params, String unit, double score, String error, String raw,
            String secondary) {
        return """
                {"jmhVersion": "1.37", "benchmark": "dendrite.bench.%s", "mode": "avgt", "jdkVersion": "25",
                 "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25+1", "jvmArgs": ["--add-modules", "jdk.incubator.vector"],
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "%s", "rawData": %s},
                 "secondaryMetrics": {%s}}""".formatted(method, params, score, error, unit, raw, secondary);
    }

    private static List<Result> jmh(String... entries) {
        return ResultFiles.fromJmh((List<?>) Json.parse("[" + String.join(",", entries) + "]")).results();
    }

    @Test
    void theMedianIsOfEveryIterationOfEveryFork() {
        List<Result> r = jmh(jmhEntry("EpochBenchmark.epoch", "\"backend\": \"vector\"", "ms/op", 4, "\"NaN\"",
                "[[3.0, 1.0, 2.0], [10.0]]", ""));
        assertEquals(2.5, r.get(0).median());
        assertEquals(4, r.get(0).samples());
        assertEquals("EpochBenchmark.epoch", r.get(0).benchmark());
        assertEquals("vector", r.get(0).backend());
        assertTrue(Double.isNaN(r.get(0).error()), "JMH writes a missing error as the string NaN");
        assertEquals(List.of(2.0, 10.0), r.get(0).forkMeans(), "each fork's mean, in the order they ran");
    }

    @Test
    void matmulGflopsComeFromTheShapeAndTheMedianTime() {
        List<Result> r = jmh(
                jmhEntry("MatmulBenchmark.square", "\"backend\": \"vector\", \"n\": \"1024\"", "us/op", 1000, "5",
                        "[[1000.0]]", ""),
                jmhEntry("MatmulBenchmark.mlp", "\"backend\": \"vector\", \"shape\": \"fc1.fwd\"", "ms/op", 2, "0.1",
                        "[[2.0]]", ""));
        assertEquals(2.0 * 1024 * 1024 * 1024 / 1e-3 / 1e9, r.get(0).gflops(), 1e-9);
        assertEquals(2.0 * 128 * 256 * 784 / 2e-3 / 1e9, r.get(1).gflops(), 1e-9);
    }

    @Test
    void convolutionGflopsComeFromTheShapeAndTheMedianTime() {
        List<Result> r = jmh(
                jmhEntry("ConvBenchmark.run", "\"backend\": \"vector\", \"shape\": \"conv2\", \"pass\": \"forward\"",
                        "us/op", 10000, "5", "[[10000.0]]", ""),
                jmhEntry("ConvBenchmark.run", "\"backend\": \"scalar\", \"shape\": \"conv1\", \"pass\": \"backwardWeights\"",
                        "ms/op", 4, "0.1", "[[4.0]]", ""));
        // conv2: 128 images x 64 channels x 11 x 11 pixels x (32 x 3 x 3) taps; conv1: 128 x 32 x 26 x 26 x 9
        assertEquals(2.0 * 128 * 64 * 121 * 288 / 1e-2 / 1e9, r.get(0).gflops(), 1e-9);
        assertEquals(2.0 * 128 * 32 * 676 * 9 / 4e-3 / 1e9, r.get(1).gflops(), 1e-9);
        assertEquals("conv2", r.get(0).params().get("shape"));
    }

    @Test
    void throughputUnitsAreTurnedIntoTimePerOperation() {
        Result r = new Result("X.y", "scalar", Map.of(), 250, 250, Double.NaN, "ops/s", Double.NaN, 1);
        assertEquals(0.004, r.medianSeconds(), 1e-15);
    }

    @Test
    void theTableRatesEachBackendAgainstOpenBlasAndPyTorch() {
        List<Result> results = new ArrayList<>(jmh(
                jmhEntry("MatmulBenchmark.square", "\"backend\": \"netlib-native\", \"n\": \"512\"", "us/op", 100, "1",
                        "[[100.0]]", ""),
                jmhEntry("MatmulBenchmark.square", "\"backend\": \"vector\", \"n\": \"512\"", "us/op", 400, "\"NaN\"",
                        "[[400.0]]", ""),
                jmhEntry("TrainStepBenchmark.step", "\"backend\": \"vector\", \"model\": \"mlp\"", "us/op", 900, "3",
                        "[[900.0]]", "\"·gc.alloc.rate.norm\": {\"score\": 48.0, \"scoreUnit\": \"B/op\"}"),
                jmhEntry("EpochBenchmark.epoch", "\"backend\": \"vector\", \"model\": \"cnn\"", "ms/op", 20000, "1",
                        "[[20000.0]]", "")));
        results.addAll(ResultFiles.fromPeer((Map<?, ?>) Json.parse("""
                {"peer": "pytorch", "version": "1.13", "threads": 2, "results": [
                  {"benchmark": "TrainStepBenchmark.step", "unit": "ms/op", "median": 3.0, "runs": [2.0, 3.0, 4.0]},
                  {"benchmark": "EpochBenchmark.epoch", "params": {"model": "cnn"}, "unit": "ms/op", "median": 40000,
                   "runs": [40000]}]}
                """)).results());
        results.addAll(ResultFiles.fromPeer((Map<?, ?>) Json.parse("""
                {"peer": "pytorch-1thread", "threads": 1, "results": [
                  {"benchmark": "TrainStepBenchmark.step", "unit": "us/op", "median": 2000, "runs": [2000]}]}
                """)).results());
        String table = Report.markdown(Map.of("Machine", "test"), results);

        assertTrue(table.contains("| MatmulBenchmark.square | vector | n=512 | 400 | 400 | us/op | 671 | 0.250 |"), table);
        assertTrue(table.contains("| MatmulBenchmark.square | netlib-native | n=512 | 100 | 100 ± 1.00 | us/op | 2684 | 1.00 |"),
                table);
        // 900 us against the faster PyTorch run's 2 ms (not the 2-thread run's 3 ms); 48 bytes per
        // step from -prof gc.
        // A peer file without params timed the MLP (written before the model parameter existed).
        assertTrue(table.contains("| TrainStepBenchmark.step | vector | model=mlp | 900 | 900 ± 3.00 | us/op |  |  | 0.450 | 48.0 |"),
                table);
        assertTrue(table.contains("| TrainStepBenchmark.step | pytorch | model=mlp | 3.00 | 3.00 | ms/op |  |  |  |  |"), table);
        assertTrue(table.contains("| EpochBenchmark.epoch | vector | model=cnn | 20000 | 20000 ± 1.00 | ms/op |  |  | 0.500 |"),
                table);
        assertTrue(table.indexOf("| vector | n=512") < table.indexOf("| netlib-native | n=512"),
                "Dendrite's backends come before the peers");
    }

    @Test
    void chartsAreWrittenForMatmulResults(@TempDir Path dir) throws IOException {
        List<Result> results = jmh(
                jmhEntry("MatmulBenchmark.square", "\"backend\": \"netlib-native\", \"n\": \"128\"", "us/op", 20, "1",
                        "[[20.0]]", ""),
                jmhEntry("MatmulBenchmark.square", "\"backend\": \"netlib-native\", \"n\": \"256\"", "us/op", 150, "1",
                        "[[150.0]]", ""),
                jmhEntry("MatmulBenchmark.mlp", "\"backend\": \"vector\", \"shape\": \"fc1.fwd\"", "us/op", 300, "1",
                        "[[300.0]]", ""));
        List<Path> charts = GflopsChart.write(results, dir);
        assertEquals(List.of(dir.resolve("matmul-gflops.png"), dir.resolve("matmul-mlp.png")), charts);
        for (Path p : charts) {
            byte[] head = Files.readAllBytes(p);
            assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', p + " is a PNG");
        }
    }
}
