package dendrite.tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.Backend;
import dendrite.tensor.spi.Slice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The argument contract, proved once, on the front alone: every bad call of {@link ContractTests}
 * is refused by {@link Backend} before any kernel runs. The kernels here can only allocate; any
 * other kernel call fails the test, so a check missing from the front cannot hide behind a
 * backend that happens to check (or crash) itself.
 */
class FrontChecksTest {
    private static final Backend FRONT = Backend.of(new AllocateOnlyKernels());

    @ParameterizedTest(name = "{0}")
    @MethodSource("dendrite.tensor.conformance.ContractTests#shapeMismatches")
    void shapeMismatchesAreRefusedBeforeAnyKernel(ContractTests.BadCall m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call().accept(FRONT));
        assertTrue(e.getMessage().startsWith(m.opName() + ": "), e.getMessage());
        for (String shape : m.shapes()) {
            assertTrue(e.getMessage().contains(shape), "names " + shape + ": " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dendrite.tensor.conformance.ContractTests#missingOperands")
    void missingOperandsAreRefusedBeforeAnyKernel(ContractTests.BadCall m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call().accept(FRONT));
        assertTrue(e.getMessage().startsWith(m.opName() + ": "), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dendrite.tensor.conformance.ContractTests#sharedMemory")
    void anOutputSharingMemoryWithItsInputIsRefusedBeforeAnyKernel(ContractTests.BadCall m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call().accept(FRONT));
        assertTrue(e.getMessage().startsWith(m.opName() + ": the output must not share memory with the "),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dendrite.tensor.conformance.ContractTests#callsOnAClosedTensor")
    void closedTensorsAreRefusedBeforeAnyKernel(ContractTests.BadCall m) {
        assertThrows(IllegalStateException.class, () -> m.call().accept(FRONT));
    }

    /**
     * Allocation works; reaching any other kernel is a missing check in the front: the compute
     * kernels throw {@link UnsupportedOperationException} (not the {@link IllegalArgumentException}
     * the tests expect) and the memory kernels an {@link AssertionError}.
     */
    private static final class AllocateOnlyKernels extends StorageOnlyKernels {
        AllocateOnlyKernels() {
            super("allocate-only");
        }

        private static AssertionError reached(String kernel) {
            return new AssertionError("the kernel " + kernel + " was reached: the front let a bad call through");
        }

        /** Packing good weights is a bad call's setup (the packed weights it then passes): allowed. */
        @Override
        public void packWeights(int n, int k, Slice w, Slice dst) {
        }

        @Override
        public void write(float[] src, int srcOffset, Slice dst, int n) {
            throw reached("write");
        }

        @Override
        public void read(Slice src, float[] dst, int dstOffset, int n) {
            throw reached("read");
        }

        @Override
        public void copy(Slice src, Slice dst, int n) {
            throw reached("copy");
        }

        @Override
        public void fill(Slice t, int n, float value) {
            throw reached("fill");
        }

        @Override
        public void gatherRows(Slice src, int[] indices, int from, int count, int rowLength, Slice out) {
            throw reached("gatherRows");
        }

        @Override
        public void shiftImages(int count, int channels, int height, int width, Slice x, int[] moves, Slice out) {
            throw reached("shiftImages");
        }
    }
}
