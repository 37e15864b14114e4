package dendrite.backend.opencl;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;

/**
 * The kernel programs of one context: each {@code kernels/NAME.cl} resource, with
 * {@code common.cl} in front, is built the first time one of its kernels is asked for and kept
 * until the backend closes. The build options define the work-group sizes, the GEMM tiles, and
 * one macro per enum constant ({@code -DUNARY_EXP=1}, ...), so kernel switch statements follow the
 * Java enums. A build failure throws with the compiler's log.
 *
 * <p>Not thread-safe: {@link ClKernels} calls it under its queue lock.
 */
final class ClPrograms {
    private static final String DIR = "/dendrite/backend/opencl/kernels/";

    private final cl_context context;
    private final cl_device_id device;
    private final String options;
    private final Map<String, cl_program> programs = new HashMap<>();
    /** Kernels by program, then by name: a key made of both was a new string on every launch. */
    private final Map<String, Map<String, cl_kernel>> kernels = new HashMap<>();
    private long buildNanos;

    ClPrograms(cl_context context, cl_device_id device, String options) {
        this.context = context;
        this.device = device;
        this.options = options;
    }

    /** Build options shared by every program. */
    static String options(int workGroup, int tile, ClGemm.Tiles tiles, boolean fp64, boolean correctDivide) {
        StringBuilder b = new StringBuilder();
        if (correctDivide) {
            // Without it OpenCL allows 2.5 ulp for float division and 3 ulp for sqrt; Java rounds exactly.
            b.append("-cl-fp32-correctly-rounded-divide-sqrt ");
        }
        b.append("-DWG=").append(workGroup).append(" -DTILE=").append(tile).append(' ').append(tiles.defines());
        if (fp64) {
            b.append(" -DHAS_FP64=1");
        }
        define(b, "UNARY_", UnaryOp.values());
        define(b, "BINARY_", BinaryOp.values());
        define(b, "ACT_", Activation.values());
        define(b, "REDUCE_", ReduceOp.values());
        define(b, "BC_", Broadcast.values());
        define(b, "POOL_", PoolOp.values());
        return b.toString();
    }

    private static void define(StringBuilder b, String prefix, Enum<?>[] values) {
        for (Enum<?> e : values) {
            b.append(" -D").append(prefix).append(e.name().toUpperCase(Locale.ROOT)).append('=').append(e.ordinal());
        }
    }

    /** The kernel {@code name} of program {@code program}, building the program on first use. */
    cl_kernel kernel(String program, String name) {
        Map<String, cl_kernel> ofProgram = kernels.get(program);
        cl_kernel k = ofProgram == null ? null : ofProgram.get(name);
        if (k == null) {
            cl_program p = program(program);
            cl_kernel[] created = new cl_kernel[1];
            int[] status = new int[1];
            ClCall.check("clCreateKernel(" + name + ")", () -> {
                created[0] = clCreateKernel(p, name, status);
                return status[0];
            });
            k = created[0];
            kernels.computeIfAbsent(program, x -> new HashMap<>()).put(name, k);
        }
        return k;
    }

    /** Nanoseconds spent in {@code clBuildProgram} so far (PoCL compiles further on first launch). */
    long buildNanos() {
        return buildNanos;
    }

    private cl_program program(String name) {
        cl_program p = programs.get(name);
        if (p != null) {
            return p;
        }
        String source = resource("common.cl") + "\n#line 1\n" + resource(name + ".cl");
        cl_program[] created = new cl_program[1];
        int[] status = new int[1];
        ClCall.check("clCreateProgramWithSource(" + name + ".cl)", () -> {
            created[0] = clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
            return status[0];
        });
        p = created[0];
        long t0 = System.nanoTime();
        int built;
        CLException cause = null;
        cl_program building = p;
        try {
            // A build registers LLVM's signal handlers again (PoCL): see JvmSignalHandlers.
            built = JvmSignalHandlers.restoredAfter(
                    () -> clBuildProgram(building, 1, new cl_device_id[] {device}, options, null, null));
        } catch (CLException e) {
            built = e.getStatus();
            cause = e;
        } finally {
            buildNanos += System.nanoTime() - t0;
        }
        if (built != CL_SUCCESS) { // a CLException, or a status when JOCL's exceptions are off
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new IllegalStateException("opencl: building kernels/" + name + ".cl failed ("
                    + ClException.codeName(built) + ") with options [" + options + "]:\n" + log, cause);
        }
        programs.put(name, p);
        return p;
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            return new String(buf, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + ClException.codeName(e.getStatus()) + ")";
        }
    }

    private static String resource(String file) {
        try (InputStream in = ClPrograms.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + DIR + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: reading kernel source " + file, e);
        }
    }

    /** Releases every kernel and program. */
    void close() {
        kernels.values().forEach(byName -> byName.values().forEach(k -> clReleaseKernel(k)));
        programs.values().forEach(p -> clReleaseProgram(p));
        kernels.clear();
        programs.clear();
    }
}
