package dendrite.backend.opencl.internal;

import dendrite.backend.opencl.ClBackendProvider;

/**
 * The child JVM of the OpenCL driver check: loads the driver and lists its devices, in this process
 * ({@code dendrite.opencl.probe=inprocess}, so it starts no child of its own). Exits 0 when the
 * driver answered (with devices or without: that is the parent's in-process probe to report); a
 * crash or a hang is what the parent watches for.
 */
public final class DriverCheckChild {
    private DriverCheckChild() {
    }

    /**
     * Runs the in-process probe once and exits with status 0, whatever it found.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.setProperty("dendrite.opencl.probe", "inprocess");
        try {
            new ClBackendProvider().probe();
        } catch (Throwable t) {
            // no platform, no library: an answer, not a crash
        }
        System.exit(0);
    }
}
