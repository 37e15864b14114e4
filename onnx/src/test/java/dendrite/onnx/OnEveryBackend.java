package dendrite.onnx;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per backend name in {@link EveryBackend#NAMES}; the test method takes the name
 * as a {@code String} and gets the backend with {@link EveryBackend#get(String)}, which skips (or,
 * when required, fails) on a backend that cannot run here.
 *
 * <pre>{@code
 * @OnEveryBackend
 * void learnsXor(String backend) {
 *     Backend be = EveryBackend.get(backend);
 *     ...
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dendrite.onnx.EveryBackend#names")
public @interface OnEveryBackend {
}
