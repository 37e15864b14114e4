package dendrite.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;

/**
 * PoCL's LLVM must not keep the JVM's fault handlers: after the backend starts and builds its
 * programs, SIGSEGV, SIGBUS and SIGILL are handled by the JVM again (read from the JVM's own report,
 * {@code jcmd VM.info}). Without {@link JvmSignalHandlers} they are LLVM's one-shot handlers, and
 * two threads faulting at once kill the process.
 */
class JvmSignalHandlersTest {

    @Test
    void theJvmHandlesFaultsAgainAfterTheBackendStartsAndBuilds() throws Exception {
        ClBackendProvider provider = new ClBackendProvider();
        assumeTrue(provider.probe().available(), () -> provider.probe().explain());
        assumeTrue(JvmSignalHandlers.install() == null, JvmSignalHandlers::install);
        // A new backend has its own context, so each of these ops builds a program on first use.
        try (Backend b = Backends.newInstance("opencl")) {
            Tensor x = b.full(1f, 7, 5);
            Tensor w = b.full(0.5f, 3, 5);
            Tensor y = b.zeros(7, 3);
            b.linear(x, w, null, Activation.RELU, 0f, y);
            b.binary(BinaryOp.MUL, y, y, y);
            b.softmax(y, y);
            b.synchronize();
            for (String line : faultHandlers()) {
                assertTrue(line.contains("in libjvm"), "a fault handler is not the JVM's: " + line);
            }
        }
    }

    @Test
    void theForwarderSwallowsTheRaisedSignalsAndPassesOthersOn() {
        AtomicInteger forwarded = new AtomicInteger();
        JvmSignalHandlers.Forwarder f = new JvmSignalHandlers.Forwarder();
        f.previous = forwarded::incrementAndGet;
        f.expected.set(2);
        f.onSighup();
        f.onSighup();
        assertEquals(0, forwarded.get(), "both raised signals are swallowed");
        f.onSighup();
        assertEquals(1, forwarded.get(), "a signal nobody raised here reaches the previous handler");
        assertEquals(0, f.expected.get());
    }

    @Test
    void restoringWithoutADriverCallIsHarmless() throws Exception {
        assumeTrue(JvmSignalHandlers.install() == null, JvmSignalHandlers::install);
        JvmSignalHandlers.restore();
        JvmSignalHandlers.restore();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (JvmSignalHandlers.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, JvmSignalHandlers.pending(), "the raised SIGHUPs reach the forwarder and are swallowed");
        assertNull(JvmSignalHandlers.install());
    }

    @Test
    void aRestoreWaitsForADriverCallInProgress() throws Exception {
        // LLVM's handler deletes the temporary files of a build in progress: no restore may run
        // while another thread is inside a driver call.
        assumeTrue(JvmSignalHandlers.install() == null, JvmSignalHandlers::install);
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread caller = new Thread(() -> JvmSignalHandlers.restoredAfter(() -> {
            inCall.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        caller.start();
        assertTrue(inCall.await(30, TimeUnit.SECONDS));
        Thread restorer = new Thread(JvmSignalHandlers::restore);
        restorer.start();
        restorer.join(300);
        boolean waited = restorer.isAlive();
        release.countDown();
        caller.join(30_000);
        restorer.join(30_000);
        assertTrue(waited, "the restore ran while a driver call was in progress");
        assertFalse(restorer.isAlive() || caller.isAlive(), "both finish once the call returns");
    }

    /** The SIGSEGV, SIGBUS and SIGILL lines of the JVM's "Signal Handlers:" report. */
    private static List<String> faultHandlers() throws Exception {
        String info = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                new Object[] {null}, new String[] {String[].class.getName()});
        int at = info.indexOf("Signal Handlers:");
        assumeTrue(at >= 0, "this JVM's VM.info has no signal handler report");
        List<String> lines = new ArrayList<>();
        for (String line : info.substring(at).split("\n")) {
            String t = line.trim();
            if (t.startsWith("SIGSEGV:") || t.startsWith("SIGBUS:") || t.startsWith("SIGILL:")) {
                lines.add(t);
            }
        }
        assertEquals(3, lines.size(), "VM.info lists SIGSEGV, SIGBUS and SIGILL");
        return lines;
    }
}
