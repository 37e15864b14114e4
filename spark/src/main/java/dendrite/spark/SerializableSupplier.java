package dendrite.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Makes a fresh object on each Spark task: losses and optimizers hold state, so a task builds its own
 * from this recipe instead of receiving the driver's. A lambda or method reference written where this
 * type is expected is serializable, e.g. {@code () -> new Adam(1e-3)}.
 *
 * @param <T> what it makes
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
