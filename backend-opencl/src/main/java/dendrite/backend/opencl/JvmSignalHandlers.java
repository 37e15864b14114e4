package dendrite.backend.opencl;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives the JVM back its signal handlers after a driver call in which an embedded LLVM took them.
 *
 * <p>Why: PoCL (OpenCL on the CPU) compiles kernels with LLVM, and LLVM registers its own handlers
 * for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGHUP, SIGINT, SIGTERM and more when PoCL starts its device
 * and again on every {@code clBuildProgram}, each one-shot ({@code SA_RESETHAND}). The JVM raises
 * SIGSEGV on purpose (safepoint polls, implicit null checks). One such fault goes through LLVM's
 * handler, which puts the previous handlers back, and the fault then repeats into the JVM's, so it
 * is survived; but when two threads fault at once, say at a safepoint, the second finds the signal's
 * default action and the process dies with "Segmentation fault" and no {@code hs_err} file.
 *
 * <p>How: LLVM's handler, for an interrupt signal such as SIGHUP, restores every handler it
 * replaced and raises the signal again. So after each call that may register LLVM's handlers,
 * {@link #restore()} raises SIGHUP in this thread: LLVM's handler (when registered) puts the JVM's
 * handlers back before {@code raise} returns, and the SIGHUP then reaches the JVM, whose Java
 * handler for it is this class's {@link Forwarder}, which swallows the SIGHUPs raised here and passes
 * any other to the handler it replaced (the JVM's shutdown by default). The forwarder must be in
 * place before the driver is first loaded ({@link #install()}), so that the SIGHUP handler LLVM
 * saves is the JVM's.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is named only inside method bodies,
 * where Javadoc does not look, so that the proprietary-API warning does not fail the Javadoc build.
 *
 * <p>In a process that ignores SIGHUP ({@code nohup}) the JVM installs no handler for it: the raised
 * SIGHUPs still make LLVM's handler put the others back, and are then ignored, uncounted.
 *
 * <p>Left as it was: with {@code -Xrs} (the JVM does not let Java handle SIGHUP), on Windows, and
 * with {@code -Ddendrite.opencl.restoreSignalHandlers=false}. PoCL's own SIGFPE handler, which lets
 * a kernel's integer division by zero pass in PoCL's threads, is replaced by the JVM's as well; no
 * kernel here divides by a value that can be zero. An application that installs its own SIGHUP
 * handler after the backend has started replaces the forwarder, and then receives the SIGHUP raised
 * after each later program build.
 */
final class JvmSignalHandlers {
    /** System property that turns the restoring off ({@code false}). */
    static final String PROPERTY = "dendrite.opencl.restoreSignalHandlers";

    private static final System.Logger LOG = System.getLogger(JvmSignalHandlers.class.getName());

    /** The {@code sun.misc.Signal} for SIGHUP, once installed. */
    private static Object hup;
    private static Forwarder forwarder;
    private static String off;
    /**
     * Whether SIGHUP was ignored when the forwarder was put in place (a process started by
     * {@code nohup}): the JVM then installs no handler for it, so a raised SIGHUP reaches no Java
     * handler. Raising it still makes LLVM's handler, when registered, put the others back.
     */
    private static boolean ignored;

    private JvmSignalHandlers() {
    }

    /**
     * Puts the SIGHUP forwarder in place, once per JVM; call before the driver is first loaded.
     *
     * @return null when active, else why the handlers are left as they are
     */
    static synchronized String install() {
        if (forwarder != null || off != null) {
            return off;
        }
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            off = "-D" + PROPERTY + "=false";
        } else if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            off = "Windows has no SIGHUP";
        } else {
            try {
                sun.misc.Signal s = new sun.misc.Signal("HUP");
                Forwarder f = new Forwarder();
                sun.misc.SignalHandler old = sun.misc.Signal.handle(s, sig -> f.onSighup());
                if (old == sun.misc.SignalHandler.SIG_IGN) {
                    f.previous = () -> { };
                    ignored = true;
                } else if (old != sun.misc.SignalHandler.SIG_DFL) {
                    f.previous = () -> old.handle(s);
                }
                hup = s;
                forwarder = f;
            } catch (IllegalArgumentException e) { // -Xrs, or no SIGHUP on this OS
                off = "SIGHUP cannot be handled in Java here (" + e.getMessage() + ")";
            }
        }
        if (off != null) {
            LOG.log(Level.DEBUG, "opencl: the JVM's signal handlers are not restored after driver calls: {0}", off);
        }
        return off;
    }

    /**
     * Runs a driver call that may register LLVM's handlers (the device's start, a program build),
     * then gives the JVM its handlers back. The calls run one at a time, JVM-wide, and never beside a
     * restore: LLVM's handler also deletes the temporary files a build in progress registered, so a
     * restore must not fall in the middle of another thread's build.
     *
     * @param call the driver call
     * @param <T> what it returns
     * @return what the call returned
     */
    static synchronized <T> T restoredAfter(java.util.function.Supplier<T> call) {
        install();
        try {
            return call.get();
        } finally {
            restore();
        }
    }

    /**
     * Puts the JVM's signal handlers back if a driver call since the last restore replaced them;
     * harmless when none did. Synchronous: the handlers are the JVM's when this returns.
     */
    static synchronized void restore() {
        if (install() != null) {
            return;
        }
        if (!ignored) {
            forwarder.expected.incrementAndGet();
        }
        sun.misc.Signal.raise((sun.misc.Signal) hup);
    }

    /** How many SIGHUPs raised by {@link #restore()} have not reached the forwarder yet (for tests). */
    static int pending() {
        Forwarder f = forwarder;
        return f == null ? 0 : f.expected.get();
    }

    /**
     * What the Java handler of SIGHUP does while the backend is loaded: swallows the signals
     * {@link #restore()} raised, and hands any other to the handler it replaced.
     */
    static final class Forwarder {
        final AtomicInteger expected = new AtomicInteger();
        /**
         * What the replaced handler does with a SIGHUP: by default (SIG_DFL) the process ends, as
         * it would without Java's handler; nothing when it was ignored; else the Java handler's work.
         */
        volatile Runnable previous = () -> Runtime.getRuntime().halt(128 + 1);

        void onSighup() {
            if (expected.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return;
            }
            previous.run();
        }
    }
}
