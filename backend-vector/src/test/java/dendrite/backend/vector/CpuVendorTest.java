package dendrite.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuVendorTest {
    @Test
    void theVendorComesFromTheFirstVendorIdLine() {
        String amd = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n\nprocessor\t: 1\n"
                + "vendor_id\t: AuthenticAMD\n";
        assertEquals(CpuVendor.AMD, CpuVendor.parse(amd));
        assertEquals(CpuVendor.INTEL, CpuVendor.parse("processor\t: 0\nvendor_id\t: GenuineIntel\n"));
        assertEquals(CpuVendor.OTHER, CpuVendor.parse("processor\t: 0\nvendor_id\t: HygonGenuine\n"));
        // An ARM /proc/cpuinfo has no vendor_id line.
        assertEquals(CpuVendor.OTHER, CpuVendor.parse("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n"));
        assertEquals(CpuVendor.OTHER, CpuVendor.parse(""));
    }

    @Test
    void transposingPacksCopyOnlyOnAmdWith256BitVectorsUnlessThePropertySaysOtherwise() {
        String before = System.getProperty(VectorGemm.GATHERS_PROPERTY);
        try {
            System.clearProperty(VectorGemm.GATHERS_PROPERTY);
            assertEquals(false, VectorGemm.packsByGathers(CpuVendor.AMD, 8));
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.AMD, 16));
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.INTEL, 8));
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.INTEL, 16));
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.OTHER, 8));
            System.setProperty(VectorGemm.GATHERS_PROPERTY, "true");
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.AMD, 8));
            System.setProperty(VectorGemm.GATHERS_PROPERTY, "false");
            assertEquals(false, VectorGemm.packsByGathers(CpuVendor.INTEL, 16));
        } finally {
            if (before == null) {
                System.clearProperty(VectorGemm.GATHERS_PROPERTY);
            } else {
                System.setProperty(VectorGemm.GATHERS_PROPERTY, before);
            }
        }
    }
}
