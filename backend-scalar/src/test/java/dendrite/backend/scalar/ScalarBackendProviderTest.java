package dendrite.backend.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.BackendProvider;
import dendrite.tensor.Backends;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Discovery through ServiceLoader and {@link Backends}. */
class ScalarBackendProviderTest {

    @Test
    void isFoundByServiceLoaderAndAlwaysAvailable() {
        BackendProvider p = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("scalar"))
                .findFirst().orElseThrow();
        assertEquals(100, p.priority());
        assertTrue(p.probe().available());
        assertSame(p.create(), p.create());
    }

    @Test
    void backendsGivesTheScalarBackendByName() {
        var be = Backends.get("scalar");
        assertInstanceOf(ScalarKernels.class, be.kernels());
        assertEquals("scalar", be.name());
        assertTrue(Backends.names().contains("scalar"));
    }
}
