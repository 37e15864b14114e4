package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;

/**
 * On a machine without an OpenCL driver the provider reports "unavailable" with the reason and
 * the fix, and the rest of Dendrite still works. Simulated in a child JVM whose ICD loader is
 * pointed at an empty vendors folder ({@code OCL_ICD_VENDORS}), since the loader reads it once
 * per process.
 */
class ProbeWithoutOpenClTest {

    /** The child: prints the probe's verdict and the result of a computation on the default backend. */
    public static void main(String[] args) {
        Availability a = new ClBackendProvider().probe();
        System.out.println("available=" + a.available());
        System.out.println("detail=" + a.detail());
        System.out.println("fix=" + a.fix());
        try (Backend be = Backends.get()) {
            System.out.println("default=" + be.name() + " sum=" + be.reduceToFloat(dendrite.tensor.op.ReduceOp.SUM,
                    be.tensor(new float[] {1, 2, 3}, 3)));
        }
    }

    @Test
    void reportsUnavailableWithReasonAndFix(@TempDir Path emptyVendors) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), ProbeWithoutOpenClTest.class.getName()));
        pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString() + File.separator);
        pb.environment().remove("OPENCL_VENDOR_PATH");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("detail=" + ClBackendProvider.NO_PLATFORM), out);
        assertTrue(out.contains("fix=" + ClBackendProvider.FIX), out);
        assertTrue(out.contains("sum=6.0"), out);
        assertTrue(!out.contains("default=opencl"), out);
        Files.deleteIfExists(emptyVendors);
    }
}
