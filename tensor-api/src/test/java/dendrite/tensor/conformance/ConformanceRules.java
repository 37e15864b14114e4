package dendrite.tensor.conformance;

import java.lang.reflect.Method;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * The suite's two reporting rules, for both engines (a JUnit extension and a jqwik lifecycle
 * hook in one class, registered once on {@link ConformanceBase}):
 * <ol>
 *   <li><b>Unavailable backend:</b> when the backend under test is missing, its probe fails or it
 *       cannot start, each test is reported <em>skipped</em> with the reason; unless
 *       {@value BackendUnderTest#REQUIRE_PROPERTY} names the backend, and then each test
 *       <em>fails</em> with that reason.</li>
 *   <li><b>Unsupported op:</b> a test whose backend threw {@link UnsupportedOperationException} is
 *       reported <em>aborted</em> (surefire: skipped) with a message starting {@value #PREFIX},
 *       and the op is printed: neither a pass nor a failure.</li>
 * </ol>
 */
public final class ConformanceRules
        implements BeforeEachCallback, TestExecutionExceptionHandler, SkipExecutionHook, AroundPropertyHook {
    /** How the skip message of an unsupported op starts. */
    public static final String PREFIX = "unsupported: ";

    /** Instantiated by JUnit and by jqwik. */
    public ConformanceRules() {
    }

    // ------------------------------------------------------------------ rule 1: unavailable backend

    @Override
    public void beforeEach(ExtensionContext context) {
        if (context.getRequiredTestInstance() instanceof ConformanceBase suite) {
            checkAvailable(suite.backendName());
        }
    }

    /** Returns if the backend is available; otherwise aborts the test, or fails it when required. */
    private static void checkAvailable(String name) {
        BackendUnderTest.Lookup lookup = BackendUnderTest.lookup(name);
        if (lookup.available()) {
            return;
        }
        if (BackendUnderTest.required(name)) {
            throw new AssertionError(BackendUnderTest.explain(lookup));
        }
        throw new TestAbortedException(BackendUnderTest.explain(lookup));
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        // Decide per property, not per class, so every property shows up as skipped in the report.
        if (!(context.optionalElement().orElse(null) instanceof Method)) {
            return SkipResult.doNotSkip();
        }
        Class<?> suite = context.optionalContainerClass().orElse(null);
        if (suite == null || !ConformanceBase.class.isAssignableFrom(suite)) {
            return SkipResult.doNotSkip();
        }
        String name = ConformanceBase.backendNameOf(suite);
        BackendUnderTest.Lookup lookup = BackendUnderTest.lookup(name);
        if (lookup.available() || BackendUnderTest.required(name)) {
            return SkipResult.doNotSkip();   // a required backend runs, and fails on the first be()
        }
        return SkipResult.skip(BackendUnderTest.explain(lookup));
    }

    // ------------------------------------------------------------------ rule 2: unsupported op

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        Optional<UnsupportedOperationException> unsupported = findUnsupported(thrown);
        if (unsupported.isPresent()) {
            String method = context.getTestMethod().map(Method::getName).orElse("");
            throw aborted(method.equals(context.getDisplayName().replace("()", "")) ? method
                    : method + " [" + context.getDisplayName() + "]", unsupported.get());
        }
        throw thrown;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyExecutionResult result = property.execute();
        if (result.status() == PropertyExecutionResult.Status.FAILED) {
            Optional<UnsupportedOperationException> unsupported =
                    result.throwable().flatMap(ConformanceRules::findUnsupported);
            if (unsupported.isPresent()) {
                return result.mapToAborted(aborted(context.label(), unsupported.get()));
            }
        }
        return result;
    }

    private static TestAbortedException aborted(String test, UnsupportedOperationException e) {
        String message = PREFIX + e.getMessage();
        System.out.println("[conformance] " + test + ": " + message);
        return new TestAbortedException(message, e);
    }

    /** The UnsupportedOperationException in the cause chain (assertThrows wraps what it caught). */
    static Optional<UnsupportedOperationException> findUnsupported(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UnsupportedOperationException u) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
