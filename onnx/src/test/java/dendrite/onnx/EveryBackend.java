package dendrite.onnx;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The backends ONNX import tests run on (a copy of nn-core's test helper, which has no test jar): every backend Dendrite ships,
 * by name, whether or not it can run here.
 *
 * <p>A test takes the name (see {@link OnEveryBackend}) and calls {@link #get(String)}. A backend
 * that is not on the class path, whose probe fails or whose {@code create()} throws is skipped
 * with that reason (visible in the test report as an aborted test), unless the system property
 * {@value #REQUIRE_PROPERTY} lists its name: then the test fails with the reason, as CI runs with
 * {@code -Ddendrite.conformance.require=scalar,vector,opencl}. The same property makes the
 * backend conformance suites fail instead of skip.
 */
public final class EveryBackend {
    /** System property: comma-separated backend names whose unavailability fails the tests. */
    public static final String REQUIRE_PROPERTY = "dendrite.conformance.require";

    /** Every backend Dendrite ships, the reference first. */
    public static final List<String> NAMES = List.of("scalar", "vector", "opencl");

    private static final Map<String, Object> LOOKUPS = new ConcurrentHashMap<>();

    private EveryBackend() {
    }

    /** The names, for {@code @MethodSource}. */
    public static Stream<String> names() {
        return NAMES.stream();
    }

    /** The names except the reference, for tests that compare a backend with backend-scalar. */
    public static Stream<String> namesOtherThanScalar() {
        return NAMES.stream().filter(n -> !n.equals("scalar"));
    }

    /**
     * The shared backend called {@code name}; aborts the calling test (skip) with the reason when it
     * cannot run here, or fails it when {@value #REQUIRE_PROPERTY} requires the backend.
     */
    public static Backend get(String name) {
        Object found = LOOKUPS.computeIfAbsent(name, EveryBackend::lookup);
        if (found instanceof Backend b) {
            return b;
        }
        throw unavailable(name, (String) found);
    }

    /**
     * A new backend of its own called {@code name}, for tests that count its memory or close it;
     * the caller closes it. Skips or fails as {@link #get(String)} does.
     */
    public static Backend createPrivate(String name) {
        get(name);                                    // skips or fails with the reason first
        return Backends.newInstance(name);
    }

    private static Object lookup(String name) {
        Optional<Backends.Candidate> c = candidate(name);
        if (c.isEmpty()) {
            return "backend '" + name + "' is not on the test class path (found: " + Backends.names() + ")";
        }
        Availability a = c.get().availability();
        if (!a.available()) {
            return "backend '" + name + "' is unavailable here: " + a.explain();
        }
        try {
            return Backends.get(name);
        } catch (RuntimeException | LinkageError e) {
            return "backend '" + name + "' failed to start: " + e;
        }
    }

    private static Optional<Backends.Candidate> candidate(String name) {
        return Backends.candidates().stream().filter(x -> x.name().equals(name)).findFirst();
    }

    private static RuntimeException unavailable(String name, String reason) {
        if (required().contains(name)) {
            Assertions.fail(reason + " (and -D" + REQUIRE_PROPERTY + " requires it, so this fails)");
        }
        Assumptions.abort(reason + " (skipped; -D" + REQUIRE_PROPERTY + "=" + name + " makes this a failure)");
        throw new AssertionError("unreachable");
    }

    private static Set<String> required() {
        return Arrays.stream(System.getProperty(REQUIRE_PROPERTY, "").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
