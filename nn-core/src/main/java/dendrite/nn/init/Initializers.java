package dendrite.nn.init;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

import java.util.Locale;

/**
 * The standard initializers, and the default for each activation.
 *
 * <table>
 *   <caption>Scales (n_in = fan in, n_out = fan out)</caption>
 *   <tr><th>name</th><th>uniform bound</th><th>normal std</th><th>for</th></tr>
 *   <tr><td>Xavier / Glorot</td><td>sqrt(6 / (n_in + n_out))</td><td>sqrt(2 / (n_in + n_out))</td><td>tanh, sigmoid, linear</td></tr>
 *   <tr><td>He / Kaiming</td><td>sqrt(6 / n_in)</td><td>sqrt(2 / n_in)</td><td>ReLU family</td></tr>
 *   <tr><td>LeCun</td><td>sqrt(3 / n_in)</td><td>sqrt(1 / n_in)</td><td>SELU, unit-variance inputs</td></tr>
 * </table>
 * Each keeps the variance of activations (Xavier: also of gradients) roughly constant from layer to
 * layer: Glorot and Bengio (2010), He et al. (2015), LeCun et al. (1998).
 */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Xavier (Glorot) uniform: values uniform in [-b, b) with b = sqrt(6 / (fan in + fan out)), named
     * {@code xavier_uniform}. The default for tanh, sigmoid, softmax and linear layers.
     *
     * @return a new stateless initializer
     */
    public static Initializer xavierUniform() {
        return uniform("xavier_uniform", (in, out) -> Math.sqrt(6.0 / (in + out)));
    }

    /**
     * Xavier (Glorot) normal: values normal with mean 0 and standard deviation sqrt(2 / (fan in + fan out)),
     * untruncated, named {@code xavier_normal}.
     *
     * @return a new stateless initializer
     */
    public static Initializer xavierNormal() {
        return normal("xavier_normal", (in, out) -> Math.sqrt(2.0 / (in + out)));
    }

    /**
     * He (Kaiming) uniform: values uniform in [-b, b) with b = sqrt(6 / fan in), named {@code he_uniform}.
     * The default for the ReLU family.
     *
     * @return a new stateless initializer
     */
    public static Initializer heUniform() {
        return uniform("he_uniform", (in, out) -> Math.sqrt(6.0 / in));
    }

    /**
     * He (Kaiming) normal: values normal with mean 0 and standard deviation sqrt(2 / fan in), untruncated,
     * named {@code he_normal}.
     *
     * @return a new stateless initializer
     */
    public static Initializer heNormal() {
        return normal("he_normal", (in, out) -> Math.sqrt(2.0 / in));
    }

    /**
     * LeCun uniform: values uniform in [-b, b) with b = sqrt(3 / fan in), named {@code lecun_uniform}.
     *
     * @return a new stateless initializer
     */
    public static Initializer lecunUniform() {
        return uniform("lecun_uniform", (in, out) -> Math.sqrt(3.0 / in));
    }

    /**
     * LeCun normal: values normal with mean 0 and standard deviation sqrt(1 / fan in), untruncated, named
     * {@code lecun_normal}; the usual choice for SELU.
     *
     * @return a new stateless initializer
     */
    public static Initializer lecunNormal() {
        return normal("lecun_normal", (in, out) -> Math.sqrt(1.0 / in));
    }

    /**
     * A normal distribution of standard deviation {@code std} whatever the layer's size, named
     * {@code normal:<std>}: the textbook's "small random numbers", which vanish (std 0.01) or explode
     * (std 1) through a deep network where Xavier and He keep the scale.
     *
     * @param std the standard deviation, finite and {@code >= 0} (0 gives all zeros); the mean is 0
     * @return a new stateless initializer
     * @throws IllegalArgumentException if {@code std} is negative, NaN or infinite
     */
    public static Initializer normal(double std) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("normal initializer: std " + std + " must be a finite number >= 0");
        }
        return normal("normal:" + std, (in, out) -> std);
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d}: weights and bias uniform in
     * +-1/sqrt(fan in) (its {@code kaiming_uniform_(a=sqrt(5))} works out to that bound), named
     * {@code pytorch}. The same distribution as a PyTorch start, not the same numbers: those come from
     * PyTorch's own generator (load its weights for those).
     *
     * @return a new stateless initializer that also overrides {@link Initializer#initializeBias}
     */
    public static Initializer pytorch() {
        return new Initializer() {
            @Override
            public String name() {
                return "pytorch";
            }

            @Override
            public void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed) {
                float b = (float) (1 / Math.sqrt(fanIn));
                backend.randomUniform(seed, -b, b, w);
            }

            @Override
            public void initializeBias(Backend backend, Tensor bias, int fanIn, int fanOut, long seed) {
                float b = (float) (1 / Math.sqrt(fanIn));
                backend.randomUniform(seed ^ 0x5DEECE66DL, -b, b, bias);
            }

            @Override
            public String toString() {
                return "pytorch";
            }
        };
    }

    /**
     * Every value 0, named {@code zeros}; the same as {@link #constant(float) constant(0f)}.
     *
     * @return a new stateless initializer
     */
    public static Initializer zeros() {
        return constant(0f);
    }

    /**
     * Every value {@code value}; named {@code zeros} for 0 and {@code constant:<value>} otherwise.
     *
     * @param value the value written to every element (0 and -0 both give {@code zeros})
     * @return a new stateless initializer
     */
    public static Initializer constant(float value) {
        String name = value == 0f ? "zeros" : "constant:" + value;
        return new Initializer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed) {
                backend.fill(w, value);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * The initializer for weights feeding {@code activation} (a layer type such as {@code relu}):
     * He uniform for the ReLU family, LeCun normal for SELU (whose self-normalization assumes it, as
     * PyTorch's and Keras' documentation say), Xavier uniform for everything else (tanh, sigmoid, softmax,
     * linear).
     *
     * @param activation the activation's layer type, case-insensitive ({@code relu}, {@code leaky_relu},
     *        {@code gelu}, {@code gelu_tanh}, {@code silu}, {@code elu}, {@code mish}, {@code hardswish},
     *        {@code prelu}, {@code relu6} pick He; {@code selu} LeCun normal); {@code null} or unknown names pick Xavier
     * @return {@link #heUniform()}, {@link #lecunNormal()} or {@link #xavierUniform()}
     */
    public static Initializer defaultFor(String activation) {
        String a = activation == null ? "" : activation.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "elu", "mish", "hardswish", "prelu", "relu6" ->
                    heUniform();
            case "selu" -> lecunNormal();
            default -> xavierUniform();
        };
    }

    /**
     * The initializer with this {@link Initializer#name()}.
     *
     * @param name a name as written by {@link Initializer#name()}, case-sensitive: {@code xavier_uniform},
     *        {@code xavier_normal}, {@code he_uniform}, {@code he_normal} (or their {@code glorot_} and
     *        {@code kaiming_} aliases), {@code lecun_uniform}, {@code lecun_normal}, {@code zeros},
     *        {@code pytorch}, {@code normal:<std>} or {@code constant:<value>}; not {@code null}
     * @return a new initializer of that name
     * @throws IllegalArgumentException if the name is unknown, or its number does not parse or is out of range
     */
    public static Initializer byName(String name) {
        if (name.startsWith("normal:")) {
            return normal(Double.parseDouble(name.substring("normal:".length())));
        }
        if (name.startsWith("constant:")) {
            return constant(Float.parseFloat(name.substring("constant:".length())));
        }
        return switch (name) {
            case "xavier_uniform", "glorot_uniform" -> xavierUniform();
            case "xavier_normal", "glorot_normal" -> xavierNormal();
            case "he_uniform", "kaiming_uniform" -> heUniform();
            case "he_normal", "kaiming_normal" -> heNormal();
            case "lecun_uniform" -> lecunUniform();
            case "lecun_normal" -> lecunNormal();
            case "zeros" -> zeros();
            case "pytorch" -> pytorch();
            default -> throw new IllegalArgumentException("unknown initializer '" + name + "'; known: xavier_uniform, "
                    + "xavier_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, zeros, pytorch, normal:<std>, constant:<value>");
        };
    }

    private interface Scale {
        double of(int fanIn, int fanOut);
    }

    private static Initializer uniform(String name, Scale bound) {
        return new Initializer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed) {
                float b = (float) bound.of(fanIn, fanOut);
                backend.randomUniform(seed, -b, b, w);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static Initializer normal(String name, Scale std) {
        return new Initializer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void initialize(Backend backend, Tensor w, int fanIn, int fanOut, long seed) {
                backend.randomNormal(seed, 0f, (float) std.of(fanIn, fanOut), w);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
