package dendrite.tensor.conformance;

import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.util.function.Supplier;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every part of the conformance suite shares: the backend under test and the reference,
 * the {@link ConformanceRules} (skip or fail an unavailable backend, skip an unsupported op), and
 * a {@link Scope} around each test so device memory is freed. See {@link BackendConformanceTest}.
 */
@ExtendWith(ConformanceRules.class)
// Once (a repeated @AddLifecycleHook is not inherited), and down to the properties (by default it
// would apply to the class alone).
@AddLifecycleHook(value = ConformanceRules.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
public abstract class ConformanceBase {
    private Scope testScope;

    /** The name of the backend under test, as its provider reports it: {@code "vector"}, {@code "opencl"}. */
    protected abstract String backendName();

    /** The backend under test (an {@link AssertionError} with the reason if it cannot run). */
    protected final Backend be() {
        return BackendUnderTest.require(backendName());
    }

    /** The reference backend, backend-scalar. */
    protected final Backend ref() {
        return BackendUnderTest.reference();
    }

    /** Availability was checked by {@link ConformanceRules} before this runs. */
    @BeforeEach
    final void openScope() {
        testScope = Scope.open();
    }

    @AfterEach
    final void closeScope() {
        if (testScope != null) {
            testScope.close();
        }
    }

    /** Runs {@code body} in a scope that frees its tensors (for jqwik tries, which have no @AfterEach). */
    protected static <T> T scoped(Supplier<T> body) {
        Scope scope = Scope.open();
        try {
            return body.get();
        } finally {
            scope.close();
        }
    }

    /** A tensor of the backend under test holding {@code values}. */
    protected final Tensor t(float[] values, int... dims) {
        return be().tensor(values, dims);
    }

    /** A tensor of the backend under test holding {@code values}, with the given shape. */
    protected final Tensor t(float[] values, Shape shape) {
        return be().tensor(values, shape.dims());
    }

    /** The backend name of a conformance class, read from a fresh instance. */
    static String backendNameOf(Class<?> suite) {
        try {
            Constructor<?> c = suite.getDeclaredConstructor();
            c.setAccessible(true);
            return ((ConformanceBase) c.newInstance()).backendName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("conformance suite " + suite.getName()
                    + " needs a no-argument constructor and a backendName() that returns a constant", e);
        }
    }
}
