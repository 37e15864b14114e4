package dendrite.spark;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A recipe each Spark task applies for itself, such as a learning-rate schedule made from the run's
 * step count, which only the tasks know. A lambda written where this type is expected is serializable.
 *
 * @param <A> what it is given
 * @param <B> what it makes
 */
@FunctionalInterface
public interface SerializableFunction<A, B> extends Function<A, B>, Serializable {
}
