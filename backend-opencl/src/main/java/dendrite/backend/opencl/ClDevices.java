package dendrite.backend.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds the OpenCL platforms and devices of this machine and chooses one: GPUs before
 * accelerators before CPUs, unless {@value #DEVICE_PROPERTY} names a device by index (as numbered
 * in {@link #describe}) or by a substring of its name.
 */
final class ClDevices {
    /** System property that picks a device by index or by a substring of its name. */
    static final String DEVICE_PROPERTY = "dendrite.opencl.device";

    /** One device as the driver describes it. */
    record Device(int index, cl_platform_id platform, cl_device_id id, String platformName, String name,
            long type, long globalMemBytes, long maxAllocBytes, long localMemBytes, int computeUnits,
            long maxWorkGroupSize, String version, boolean fp64) {

        boolean isGpu() {
            return (type & CL_DEVICE_TYPE_GPU) != 0;
        }

        boolean isCpu() {
            return (type & CL_DEVICE_TYPE_CPU) != 0;
        }

        String typeName() {
            return isGpu() ? "GPU" : isCpu() ? "CPU" : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
        }

        /** Order of preference: GPUs first, CPUs last. */
        int rank() {
            return isGpu() ? 0 : isCpu() ? 2 : 1;
        }

        /** "#0 PoCL / pthread-skylake (CPU, 2 compute units, 3.8 GiB, fp64)". */
        String summary() {
            return "#" + index + " " + platformName + " / " + name + " (" + typeName() + ", " + computeUnits
                    + " compute units, " + gib(globalMemBytes) + " global memory" + (fp64 ? ", fp64" : "") + ")";
        }
    }

    private ClDevices() {
    }

    /**
     * Every device of every platform, numbered in platform order. Throws whatever JOCL throws
     * when the native library or {@code libOpenCL.so} cannot load or no platform exists.
     */
    static List<Device> list() {
        // PoCL's LLVM takes the JVM's signal handlers as it starts its device: see JvmSignalHandlers.
        return JvmSignalHandlers.restoredAfter(ClDevices::listDevices);
    }

    private static List<Device> listDevices() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        if (platforms.length == 0) {
            return List.of();
        }
        clGetPlatformIDs(platforms.length, platforms, null);
        List<Device> devices = new ArrayList<>();
        for (cl_platform_id p : platforms) {
            String platformName = platformString(p, CL_PLATFORM_NAME);
            int[] n = new int[1];
            try {
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (RuntimeException e) {
                continue; // CL_DEVICE_NOT_FOUND: a platform without devices
            }
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (cl_device_id d : ids) {
                String ext = deviceString(d, CL_DEVICE_EXTENSIONS);
                devices.add(new Device(devices.size(), p, d, platformName, deviceString(d, CL_DEVICE_NAME),
                        deviceLong(d, CL_DEVICE_TYPE), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE),
                        deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceSizeT(d, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        deviceString(d, CL_DEVICE_VERSION), ext.contains("cl_khr_fp64")));
            }
        }
        return devices;
    }

    /**
     * The device to use: the one {@value #DEVICE_PROPERTY} names, else the first GPU, else the
     * first accelerator, else the first CPU.
     *
     * @throws IllegalArgumentException when the property matches no device
     */
    static Device choose(List<Device> devices, String selector) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no OpenCL device");
        }
        if (selector != null && !selector.isBlank()) {
            String s = selector.trim();
            if (s.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(s);
                if (i < devices.size()) {
                    return devices.get(i);
                }
            } else {
                String lower = s.toLowerCase(Locale.ROOT);
                for (Device d : devices) {
                    if (d.name().toLowerCase(Locale.ROOT).contains(lower)
                            || d.platformName().toLowerCase(Locale.ROOT).contains(lower)) {
                        return d;
                    }
                }
            }
            throw new IllegalArgumentException("-D" + DEVICE_PROPERTY + "=" + selector + " matches no OpenCL device; found: "
                    + describe(devices));
        }
        return devices.stream().min(Comparator.comparingInt(Device::rank).thenComparingInt(Device::index)).orElseThrow();
    }

    /** Every device's summary, separated by "; ". */
    static String describe(List<Device> devices) {
        return String.join("; ", devices.stream().map(Device::summary).toList());
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int n = buf.length;
        while (n > 0 && buf[n - 1] == 0) {
            n--;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, 8, Pointer.to(v), null);
        return v[0];
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, 4, Pointer.to(v), null);
        return v[0];
    }

    /** A size_t value, whose width follows the platform's pointer size. */
    private static long deviceSizeT(cl_device_id d, int param) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        clGetDeviceInfo(d, param, org.jocl.Sizeof.size_t, Pointer.to(b), null);
        return org.jocl.Sizeof.size_t == 8 ? b.getLong(0) : b.getInt(0) & 0xFFFFFFFFL;
    }
}
