package dendrite.backend.opencl;

/**
 * The child JVM of {@link ClDriverCheck}: loads the OpenCL driver and lists its devices. Exits 0
 * when the driver answered (with devices or without: that is the in-process probe's to report);
 * a crash or a hang is what the parent watches for.
 */
public final class ClDriverCheckMain {
    private ClDriverCheckMain() {
    }

    public static void main(String[] args) {
        try {
            ClDevices.list();
        } catch (Throwable t) {
            // no platform, no library: an answer, not a crash
        }
        System.exit(0);
    }
}
