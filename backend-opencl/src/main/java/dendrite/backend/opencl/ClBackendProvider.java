package dendrite.backend.opencl;

import java.util.List;

import dendrite.tensor.Availability;
import dendrite.tensor.BackendProvider;
import dendrite.tensor.spi.Kernels;

/**
 * Finds an OpenCL device and makes the {@link ClKernels} on it, which {@code Backends} puts the
 * checked front over.
 *
 * <p>The probe lists every platform and device (that list goes into the backends report) and
 * chooses one: GPUs first, or the one {@code -Ddendrite.opencl.device=INDEX|NAME} names. Any
 * failure to load JOCL's native library or {@code libOpenCL.so}, or a machine without a platform,
 * is reported as unavailable with the fix, never thrown; a driver that crashes or hangs is found
 * in a separate JVM first ({@link ClDriverCheck}) and never loaded here. Priority: 400 on a GPU (above the vector
 * backend), 200 on a CPU device such as PoCL (below it).
 */
public final class ClBackendProvider implements BackendProvider {
    static final String NO_PLATFORM = "no OpenCL platform";
    static final String FIX = "install an OpenCL driver, e.g. pocl-opencl-icd, and ocl-icd-opencl-dev for libOpenCL.so";

    /** What the probe found; computed once. */
    private record Found(Availability availability, ClDevices.Device device) {
    }

    private volatile Found found;

    /** Made by {@link java.util.ServiceLoader}; probes nothing until asked. */
    public ClBackendProvider() {
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        ClDevices.Device d = find().device();
        return d != null && d.isGpu() ? 400 : 200;
    }

    @Override
    public Availability probe() {
        return find().availability();
    }

    @Override
    public Kernels create() {
        Found f = find();
        if (f.device() == null) {
            throw new IllegalStateException("opencl: " + f.availability().explain());
        }
        return new ClKernels(f.device());
    }

    private Found find() {
        Found f = found;
        if (f == null) {
            synchronized (this) {
                f = found;
                if (f == null) {
                    f = probeDevices();
                    found = f;
                }
            }
        }
        return f;
    }

    // Catches Throwable on purpose: JOCL's static initializer throws UnsatisfiedLinkError or
    // ExceptionInInitializerError when a native library is missing, and CLException when the ICD
    // loader finds no platform (CL_PLATFORM_NOT_FOUND_KHR).
    private static Found probeDevices() {
        Availability trouble = ClDriverCheck.trouble();
        if (trouble != null) {
            return new Found(trouble, null);
        }
        List<ClDevices.Device> devices;
        try {
            devices = ClDevices.list();
        } catch (Throwable t) {
            return new Found(Availability.unavailable(NO_PLATFORM + " (" + describe(t) + ")", FIX), null);
        }
        if (devices.isEmpty()) {
            return new Found(Availability.unavailable(NO_PLATFORM + " (no device found)", FIX), null);
        }
        try {
            ClDevices.Device d = ClDevices.choose(devices, System.getProperty(ClDevices.DEVICE_PROPERTY));
            return new Found(Availability.available("device " + d.summary() + "; found: " + ClDevices.describe(devices)),
                    d);
        } catch (IllegalArgumentException e) {
            return new Found(Availability.unavailable(e.getMessage(),
                    "pass -D" + ClDevices.DEVICE_PROPERTY + "= a listed index or part of a device name"), null);
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.lines().findFirst().orElse(""));
    }
}
