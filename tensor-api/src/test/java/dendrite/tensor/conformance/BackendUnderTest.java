package dendrite.tensor.conformance;

import dendrite.tensor.Availability;
import dendrite.tensor.Backend;
import dendrite.tensor.Backends;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds the backend a conformance subclass names, or says why it cannot run here.
 *
 * <p>A backend that is missing, whose probe fails, or whose {@code create()} throws is
 * <em>unavailable</em>: its tests are skipped with that reason, unless the system property
 * {@value #REQUIRE_PROPERTY} lists its name, in which case they fail with it. The answer is
 * computed once per name and VM.
 */
final class BackendUnderTest {
    /** System property: comma-separated backend names whose unavailability fails the suite. */
    static final String REQUIRE_PROPERTY = "dendrite.conformance.require";

    private static final Map<String, Lookup> LOOKUPS = new ConcurrentHashMap<>();

    private BackendUnderTest() {
    }

    /** Either a backend or the reason there is none. */
    record Lookup(String name, Backend backend, String unavailableReason) {
        boolean available() {
            return backend != null;
        }
    }

    /** The backend called {@code name}, or why it cannot be had. */
    static Lookup lookup(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return LOOKUPS.computeIfAbsent(n, BackendUnderTest::find);
    }

    private static Lookup find(String name) {
        Optional<Backends.Candidate> candidate =
                Backends.candidates().stream().filter(c -> c.name().equals(name)).findFirst();
        if (candidate.isEmpty()) {
            return new Lookup(name, null, "backend '" + name + "' is not on the test class path (providers found: "
                    + Backends.names() + ")");
        }
        Availability a = candidate.get().availability();
        if (!a.available()) {
            return new Lookup(name, null, "backend '" + name + "' is unavailable here: " + a.explain());
        }
        try {
            return new Lookup(name, Backends.get(name), null);
        } catch (RuntimeException | LinkageError e) {
            return new Lookup(name, null, "backend '" + name + "' failed to start: " + e);
        }
    }

    /** Whether {@value #REQUIRE_PROPERTY} lists {@code name}. */
    static boolean required(String name) {
        return requiredNames().contains(name.trim().toLowerCase(Locale.ROOT));
    }

    private static Set<String> requiredNames() {
        String value = System.getProperty(REQUIRE_PROPERTY, "");
        return Arrays.stream(value.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** The message of a skip, or of the failure when the backend is required. */
    static String explain(Lookup lookup) {
        if (required(lookup.name())) {
            return lookup.unavailableReason() + " (and -D" + REQUIRE_PROPERTY + " requires it, so this fails)";
        }
        return lookup.unavailableReason() + " (skipped; -D" + REQUIRE_PROPERTY + "=" + lookup.name()
                + " makes this a failure)";
    }

    /**
     * The backend, or an {@link AssertionError} with the reason. Tests only reach this when the
     * backend is available or required: the skip hooks have stopped the rest.
     */
    static Backend require(String name) {
        Lookup l = lookup(name);
        if (!l.available()) {
            throw new AssertionError(explain(l));
        }
        return l.backend();
    }

    /** The reference backend, which every backend module has on its test class path. */
    static Backend reference() {
        Lookup l = lookup("scalar");
        if (!l.available()) {
            throw new AssertionError("the reference backend is missing: " + l.unavailableReason()
                    + "; add dev.dendrite:backend-scalar as a test dependency");
        }
        return l.backend();
    }
}
