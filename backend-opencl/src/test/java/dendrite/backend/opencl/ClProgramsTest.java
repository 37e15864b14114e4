package dendrite.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clReleaseContext;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel programs: built once and cached; a failed build throws with the compiler's log. */
class ClProgramsTest {
    private ClDevices.Device device;
    private cl_context context;

    @BeforeEach
    void context() {
        ClBackendProvider provider = new ClBackendProvider();
        assumeTrue(provider.probe().available(), () -> provider.probe().explain());
        device = ClDevices.choose(ClDevices.list(), null);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        context = clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
    }

    @AfterEach
    void release() {
        if (context != null) {
            clReleaseContext(context);
        }
    }

    @Test
    void kernelsAreBuiltOnceAndCached() {
        ClPrograms programs = new ClPrograms(context, device.id(),
                ClPrograms.options(ClKernels.WG, ClKernels.TILE, ClGemm.Tiles.DEFAULT, device.fp64(), false));
        cl_kernel k = programs.kernel("optim", "sgd_update");
        assertNotNull(k);
        long nanos = programs.buildNanos();
        assertTrue(nanos > 0);
        assertSame(k, programs.kernel("optim", "sgd_update"));
        programs.kernel("optim", "adam_update");
        assertTrue(programs.buildNanos() == nanos, "the second kernel of a built program needs no build");
        programs.close();
    }

    @Test
    void buildFailureThrowsWithTheBuildLog() {
        // Without the enum macros (-DACT_RELU=1, ...) the activation switch cannot compile.
        ClPrograms programs = new ClPrograms(context, device.id(), "-DWG=256");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> programs.kernel("elementwise", "activation"));
        assertTrue(e.getMessage().startsWith("opencl: building kernels/elementwise.cl failed (CL_BUILD_PROGRAM_FAILURE)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ACT_RELU"), "the log names the undeclared identifier: " + e.getMessage());
        programs.close();
    }
}
