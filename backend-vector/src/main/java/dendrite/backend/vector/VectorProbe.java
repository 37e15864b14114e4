package dendrite.backend.vector;

import dendrite.tensor.Availability;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Decides whether the vector backend can run fast here, without loading any class of
 * {@code jdk.incubator.vector} unless the module is readable (the way Lucene's
 * {@code VectorizationProvider.lookup} does it).
 *
 * <p>Three things must hold: the module is readable (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, or this module requires it on the module path);
 * the VM is HotSpot with its C2 compiler on (the Vector API is an intrinsic of C2: under the
 * interpreter or C1 every vector op becomes an allocation and a Java loop, slower than scalar
 * code); and the preferred vector is at least 128 bits (Lucene refuses narrower ones too).
 */
final class VectorProbe {
    /** The fix for a JVM that cannot read the incubator module. */
    static final String ADD_MODULES_FIX = "start the JVM with --add-modules jdk.incubator.vector";

    private static final String MODULE = "jdk.incubator.vector";

    private VectorProbe() {
    }

    /**
     * What the probe looks at, so the decision can be tested with stubbed values.
     *
     * @param moduleReadable whether {@code jdk.incubator.vector} is in the boot layer and readable
     * @param vmName         {@code java.vm.name}
     * @param vmInfo         {@code java.vm.info} ("mixed mode", "interpreted mode", "emulated-client" ...)
     * @param vmOption       a HotSpot flag's value by name, empty when unknown or not HotSpot
     * @param preferredBits  the preferred species' width in bits; called only when the module is readable
     * @param fma            whether fused multiply-add is in hardware; called only when the module is readable
     * @param threads        the threads the backend will use
     */
    record Environment(boolean moduleReadable, String vmName, String vmInfo,
            Function<String, Optional<String>> vmOption, IntSupplier preferredBits, IntSupplier fma, int threads) {
    }

    /** The running JVM as it is. */
    static Environment current() {
        return new Environment(incubatorReadable(),
                System.getProperty("java.vm.name", ""),
                System.getProperty("java.vm.info", ""),
                VectorProbe::hotSpotOption,
                () -> simdFact("preferredBits"),
                () -> simdFact("fmaFlag"),
                Parallel.configuredThreads());
    }

    /** The verdict for an environment: available with a capabilities line, or why not and the fix. */
    static Availability check(Environment env) {
        if (!env.moduleReadable()) {
            return Availability.unavailable("module " + MODULE + " is not readable", ADD_MODULES_FIX);
        }
        if (env.vmOption().apply("UseCompiler").isEmpty()) {
            return Availability.unavailable("the VM '" + env.vmName() + "' is not HotSpot, so the Vector API may not"
                    + " be compiled to SIMD instructions", "run on a HotSpot JVM (OpenJDK, Temurin, ...)");
        }
        String c2Off = "the C2 compiler is off, so every vector operation would run as slow Java code";
        if (env.vmOption().apply("UseCompiler").get().equals("false") || env.vmInfo().contains("interpreted")) {
            return Availability.unavailable(c2Off + " (-Xint)", "remove -Xint from the JVM options");
        }
        boolean tiered = !env.vmOption().apply("TieredCompilation").orElse("true").equals("false");
        int stopAt = env.vmOption().apply("TieredStopAtLevel").map(VectorProbe::parseIntOr4).orElse(4);
        if ((tiered && stopAt < 4) || env.vmInfo().contains("emulated-client")) {
            return Availability.unavailable(c2Off + " (-XX:TieredStopAtLevel=" + stopAt + ")",
                    "remove -XX:TieredStopAtLevel from the JVM options");
        }
        int bits = env.preferredBits().getAsInt();
        if (bits < 128) {
            return Availability.unavailable("the preferred vector is " + bits + " bits, narrower than 128",
                    "run on a CPU with SSE, AVX or NEON and do not lower -XX:MaxVectorSize");
        }
        boolean fma = env.fma().getAsInt() != 0;
        return Availability.available(isa(bits) + ": " + bits / 32 + " float lanes, " + (fma ? "FMA" : "no FMA")
                + ", " + env.threads() + (env.threads() == 1 ? " thread" : " threads"));
    }

    /** A name for the instruction set a vector width implies on x86 (and NEON at 128 bits on ARM). */
    private static String isa(int bits) {
        boolean arm = System.getProperty("os.arch", "").contains("aarch64");
        return switch (bits) {
            case 512 -> "AVX-512";
            case 256 -> "AVX2";
            case 128 -> arm ? "NEON" : "SSE";
            default -> bits + "-bit SIMD";
        };
    }

    private static int parseIntOr4(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 4;
        }
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer and this module can read it. */
    static boolean incubatorReadable() {
        Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
        return vector.isPresent() && VectorProbe.class.getModule().canRead(vector.get());
    }

    /**
     * A HotSpot VM option by name (as {@code -XX:+PrintFlagsFinal} shows it), or empty on a VM
     * without HotSpot's diagnostic bean.
     */
    static Optional<String> hotSpotOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? Optional.empty() : Optional.of(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            // IllegalArgumentException for an unknown flag, LinkageError without jdk.management.
            return Optional.empty();
        }
    }

    /**
     * Reads an int fact from {@link Simd} by reflection, so that the incubator classes it references
     * load only here, after the module was found readable.
     */
    private static int simdFact(String method) {
        try {
            return (int) Class.forName(VectorProbe.class.getPackageName() + ".Simd")
                    .getDeclaredMethod(method).invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }
}
