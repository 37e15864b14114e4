package dendrite.backend.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;

/** Device choice and the provider's report. */
class ClBackendProviderTest {
    private static ClDevices.Device device(int index, String name, long type) {
        return new ClDevices.Device(index, null, null, "Platform " + index, name, type, 1L << 30, 1L << 28, 65536, 8,
                256, "OpenCL 1.2", false);
    }

    private static final List<ClDevices.Device> MIXED = List.of(device(0, "Xeon CPU", CL_DEVICE_TYPE_CPU),
            device(1, "FPGA board", CL_DEVICE_TYPE_ACCELERATOR), device(2, "NVIDIA H100", CL_DEVICE_TYPE_GPU),
            device(3, "AMD Radeon", CL_DEVICE_TYPE_GPU));

    @Test
    void gpusComeFirstThenAcceleratorsThenCpus() {
        assertEquals(2, ClDevices.choose(MIXED, null).index());
        assertEquals(1, ClDevices.choose(MIXED.subList(0, 2), "").index());
        assertEquals(0, ClDevices.choose(MIXED.subList(0, 1), null).index());
    }

    @Test
    void propertyPicksByIndexOrNameSubstring() {
        assertEquals(0, ClDevices.choose(MIXED, "0").index());
        assertEquals(3, ClDevices.choose(MIXED, "radeon").index());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClDevices.choose(MIXED, "7"));
        assertTrue(e.getMessage().contains("matches no OpenCL device"), e.getMessage());
        assertTrue(e.getMessage().contains("#2 Platform 2 / NVIDIA H100 (GPU, 8 compute units, 1.0 GiB"), e.getMessage());
    }

    @Test
    void probeListsDevicesAndRanksACpuDeviceBelowTheVectorBackend() {
        ClBackendProvider provider = new ClBackendProvider();
        Availability a = provider.probe();
        assumeTrue(a.available(), a::explain);
        assertEquals("opencl", provider.name());
        assertTrue(a.detail().contains("compute units") && a.detail().contains("GiB global memory"), a.detail());
        List<ClDevices.Device> found = ClDevices.list();
        for (ClDevices.Device d : found) {
            assertTrue(a.detail().contains(d.summary()), a.detail());
        }
        ClDevices.Device chosen = ClDevices.choose(found, System.getProperty(ClDevices.DEVICE_PROPERTY));
        assertEquals(chosen.isGpu() ? 400 : 200, provider.priority());
        try (Backend be = Backend.of(provider.create())) {
            assertTrue(be.description().contains(chosen.name()), be.description());
        }
    }
}
