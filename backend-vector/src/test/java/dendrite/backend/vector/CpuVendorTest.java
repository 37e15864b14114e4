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
    void transposingPacksGatherOnlyOnOtherCpusUnlessThePropertySaysOtherwise() {
        String before = System.getProperty(VectorGemm.GATHERS_PROPERTY);
        try {
            System.clearProperty(VectorGemm.GATHERS_PROPERTY);
            assertEquals(false, VectorGemm.packsByGathers(CpuVendor.AMD));
            assertEquals(false, VectorGemm.packsByGathers(CpuVendor.INTEL));
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.OTHER));
            System.setProperty(VectorGemm.GATHERS_PROPERTY, "true");
            assertEquals(true, VectorGemm.packsByGathers(CpuVendor.AMD));
            System.setProperty(VectorGemm.GATHERS_PROPERTY, "false");
            assertEquals(false, VectorGemm.packsByGathers(CpuVendor.INTEL));
        } finally {
            if (before == null) {
                System.clearProperty(VectorGemm.GATHERS_PROPERTY);
            } else {
                System.setProperty(VectorGemm.GATHERS_PROPERTY, before);
            }
        }
    }
}
