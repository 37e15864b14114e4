package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A steady operation on the OpenCL backend allocates little on the heap: its kernel's arguments are
 * set from one reused buffer and pointer, the launch sizes from reused arrays, and the kernel found
 * without building a key. Each argument was a new array, buffer and pointer, and each launch two
 * arrays and a key string: 500-2,600 bytes a call here, about 1 MB a training step of a small CNN.
 * What a call still allocates (the launch itself, the operation's closure) is under the bounds, which
 * the old code exceeded for every operation listed.
 */
class ClLaunchBytesTest {
    private static final int WARM_CALLS = 20_000;
    private static final long BYTES_PER_CALL = 300;

    private static Backend be;
    private static Tensor x;
    private static Tensor y;
    private static Tensor out;
    private static Tensor row;
    private static Tensor w;
    private static Tensor c;

    @BeforeAll
    static void createBackend() {
        ClBackendProvider provider = new ClBackendProvider();
        assumeTrue(provider.probe().available(), () -> provider.probe().explain());
        be = Backend.of(provider.create());
        x = be.full(0.5f, 64, 100);
        y = be.full(0.25f, 64, 100);
        out = be.zeros(64, 100);
        row = be.full(1f, 1, 100);
        w = be.full(0.1f, 100, 100);
        c = be.zeros(64, 100);
    }

    @AfterAll
    static void closeBackend() {
        if (be != null) {
            be.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "binaryRow", "relu", "gemm", "softmax", "fill"})
    void aSteadyCallAllocatesUnder300Bytes(String op) {
        Runnable call = switch (op) {
            case "binary" -> () -> be.binary(BinaryOp.ADD, x, y, out);
            case "binaryRow" -> () -> be.binary(BinaryOp.MUL, x, row, out);
            case "relu" -> () -> be.activation(Activation.RELU, 0f, x, out);
            case "gemm" -> () -> be.gemm(false, true, 1f, x, w, 0f, c);
            case "softmax" -> () -> be.softmax(x, out);
            case "fill" -> () -> be.fill(out, 1f);
            default -> throw new IllegalArgumentException(op);
        };
        for (int i = 0; i < WARM_CALLS; i++) {
            call.run();
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 50; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                call.run();
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        be.synchronize();
        assertTrue(least <= BYTES_PER_CALL * 100, op + ": the least allocated by 100 warm calls was " + least
                + " bytes (" + least / 100 + " a call)");
    }
}
