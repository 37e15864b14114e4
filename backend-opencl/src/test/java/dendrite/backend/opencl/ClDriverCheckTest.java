package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Availability;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A driver that crashes or hangs while listing its devices costs the OpenCL backend, not the JVM:
 * the probe runs it in a child JVM first. The children here stand in for broken drivers.
 */
class ClDriverCheckTest {

    /** Dies as a segfaulting driver makes the JVM die. */
    public static final class CrashingDriver {
        public static void main(String[] args) {
            Runtime.getRuntime().halt(134);
        }
    }

    /** Never answers, as a driver stuck in clGetPlatformIDs. */
    public static final class HangingDriver {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @AfterEach
    void clear() throws Exception {
        Files.deleteIfExists(ClDriverCheck.cacheFile());
        System.clearProperty(ClDriverCheck.MAIN_PROPERTY);
        System.clearProperty(ClDriverCheck.TIMEOUT_PROPERTY);
    }

    private static Availability probeWith(Class<?> driver) throws Exception {
        System.setProperty(ClDriverCheck.MAIN_PROPERTY, driver.getName());
        Files.deleteIfExists(ClDriverCheck.cacheFile());
        return new ClBackendProvider().probe();
    }

    @Test
    void aDriverThatCrashesMakesTheBackendUnavailableNotTheJvmDie() throws Exception {
        Availability a = probeWith(CrashingDriver.class);
        assertFalse(a.available());
        assertTrue(a.explain().contains("crashed (exit code 134)"), a.explain());
        assertTrue(Files.readString(ClDriverCheck.cacheFile()).contains("crashed"), "the verdict is cached");
        assertFalse(new ClBackendProvider().probe().available(), "and used: no second child, no driver loaded");
    }

    @Test
    void aDriverThatHangsIsGivenUpOnAfterTheTimeout() throws Exception {
        System.setProperty(ClDriverCheck.TIMEOUT_PROPERTY, "3");
        Availability a = probeWith(HangingDriver.class);
        assertFalse(a.available());
        assertTrue(a.explain().contains("did not answer within 3 s"), a.explain());
    }

    @Test
    void aDriverThatAnswersIsProbedHereAsBefore() throws Exception {
        System.setProperty(ClDriverCheck.MAIN_PROPERTY, dendrite.backend.opencl.internal.DriverCheckChild.class.getName());
        Files.deleteIfExists(ClDriverCheck.cacheFile());
        assertNull(ClDriverCheck.trouble(), "the real driver (PoCL here, or none) answers in the child");
    }
}
