package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Availability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe's decisions, on stubbed environments and in a real JVM without the incubator module. */
class VectorProbeTest {

    /** A HotSpot server VM with the given flags (anything not given is the default). */
    private static VectorProbe.Environment env(boolean readable, String vmInfo, Map<String, String> flags, int bits) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("UseCompiler", "true", "TieredCompilation", "true",
                "TieredStopAtLevel", "4"));
        all.putAll(flags);
        return new VectorProbe.Environment(readable, "OpenJDK 64-Bit Server VM", vmInfo,
                name -> Optional.ofNullable(all.get(name)), () -> bits, () -> 1, 2);
    }

    @Test
    void availableOnAServerVmReportsLanesFmaAndThreads() {
        Availability a = VectorProbe.check(env(true, "mixed mode, sharing", Map.of(), 512));
        assertTrue(a.available(), a.explain());
        assertEquals("AVX-512: 16 float lanes, FMA, 2 threads", a.detail());
    }

    @Test
    void unreadableModuleIsUnavailableWithTheAddModulesFix() {
        Availability a = VectorProbe.check(env(false, "mixed mode", Map.of(), 512));
        assertFalse(a.available());
        assertTrue(a.detail().contains("jdk.incubator.vector"), a.detail());
        assertEquals("start the JVM with --add-modules jdk.incubator.vector", a.fix());
    }

    @Test
    void interpreterOnlyIsUnavailable() {
        Availability a = VectorProbe.check(env(true, "interpreted mode", Map.of("UseCompiler", "false"), 512));
        assertFalse(a.available());
        assertTrue(a.detail().contains("C2"), a.detail());
        assertTrue(a.fix().contains("-Xint"), a.fix());
    }

    @Test
    void c1OnlyIsUnavailable() {
        Availability a = VectorProbe.check(env(true, "mixed mode", Map.of("TieredStopAtLevel", "1"), 512));
        assertFalse(a.available());
        assertTrue(a.detail().contains("TieredStopAtLevel=1"), a.detail());
    }

    @Test
    void c2WithoutTieringIsFine() {
        Availability a = VectorProbe.check(env(true, "mixed mode",
                Map.of("TieredCompilation", "false", "TieredStopAtLevel", "1"), 256));
        assertTrue(a.available(), a.explain());
        assertTrue(a.detail().startsWith("AVX2: 8 float lanes"), a.detail());
    }

    @Test
    void aVmWithoutHotSpotFlagsIsUnavailable() {
        var e = new VectorProbe.Environment(true, "Some Other VM", "", name -> Optional.empty(), () -> 512, () -> 1, 2);
        Availability a = VectorProbe.check(e);
        assertFalse(a.available());
        assertTrue(a.detail().contains("not HotSpot"), a.detail());
    }

    @Test
    void vectorsNarrowerThan128BitsAreUnavailable() {
        Availability a = VectorProbe.check(env(true, "mixed mode", Map.of(), 64));
        assertFalse(a.available());
        assertTrue(a.detail().contains("64 bits"), a.detail());
    }

    @Test
    void thisJvmHasTheModuleSoTheRealProbePasses() {
        // Surefire starts this module's tests with --add-modules jdk.incubator.vector.
        Availability a = new VectorBackendProvider().probe();
        assertTrue(a.available(), a.explain());
    }

    @Test
    void aJvmWithoutTheModuleReportsTheFixAndFallsBackToTheNextBackend() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", ProbeWithoutModuleMain.class.getName()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("fix: start the JVM with --add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("incubatorLoaded=false"), out);
        assertTrue(out.contains("chosen=scalar"), out);
    }
}
