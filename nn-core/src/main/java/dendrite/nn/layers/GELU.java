package dendrite.nn.layers;

import dendrite.tensor.op.Activation;

import java.util.Locale;
import java.util.Map;

/**
 * The Gaussian error linear unit, PyTorch's {@code nn.GELU}: {@code x Phi(x)} with Phi the standard
 * normal distribution function, exactly ({@code GELU()}, PyTorch's default {@code approximate='none'})
 * or in the tanh approximation ({@code GELU(Approximate.TANH)}, PyTorch's {@code approximate='tanh'}).
 *
 * <p>The model file records the form as {@code "approximate": "none"} or {@code "tanh"}. A gelu
 * layer without that key was written when the tanh form was the only GELU, so it loads as
 * {@link Approximate#TANH}: the model computes what it was trained to.
 */
public final class GELU extends ActivationLayer {
    /** The form, by PyTorch's names for its {@code approximate} argument. */
    public enum Approximate {
        /** The exact {@code x Phi(x)}: {@code approximate='none'}. */
        NONE(Activation.GELU),
        /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}: {@code approximate='tanh'}. */
        TANH(Activation.GELU_TANH);

        private final Activation activation;

        Approximate(Activation activation) {
            this.activation = activation;
        }

        /**
         * PyTorch's name: {@code "none"} or {@code "tanh"}.
         *
         * @return the lower-case name, as PyTorch's {@code approximate} argument and the config take it
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The form called {@code label} ({@code "none"} or {@code "tanh"}, any case).
         *
         * @param label {@code "none"} or {@code "tanh"}, in any case, surrounding spaces ignored
         * @return the form of that name
         * @throws IllegalArgumentException for another name or {@code null}, listing both
         */
        public static Approximate of(String label) {
            if (label == null) {
                throw new IllegalArgumentException("gelu: 'approximate' must be \"none\" or \"tanh\", not null");
            }
            for (Approximate a : values()) {
                if (a.label().equalsIgnoreCase(label.trim())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("gelu: 'approximate' must be \"none\" or \"tanh\", not \"" + label + "\"");
        }
    }

    /** The config key of the form, PyTorch's argument name. */
    static final String APPROXIMATE = "approximate";

    private final Approximate approximate;

    /** The exact GELU, as PyTorch's {@code nn.GELU()}. */
    public GELU() {
        this(Approximate.NONE);
    }

    /**
     * The GELU in the given form, as PyTorch's {@code nn.GELU(approximate=...)}.
     *
     * @param approximate {@link Approximate#NONE} for the exact form, {@link Approximate#TANH} for the tanh
     *                    approximation; not {@code null}
     * @throws IllegalArgumentException if {@code approximate} is {@code null}
     */
    public GELU(Approximate approximate) {
        super(present(approximate).activation, 0f);
        this.approximate = approximate;
    }

    private static Approximate present(Approximate approximate) {
        if (approximate == null) {
            throw new IllegalArgumentException("gelu: approximate is null; GELU.Approximate.NONE is the exact form");
        }
        return approximate;
    }

    /**
     * The layer a config describes; without {@value #APPROXIMATE} it is a file from before the exact
     * form existed, so {@link Approximate#TANH}.
     */
    static GELU fromConfig(Map<String, ?> config) {
        String form = Configs.stringValue(config, "gelu", APPROXIMATE, null);
        return new GELU(form == null ? Approximate.TANH : Approximate.of(form));
    }

    /**
     * The form this layer computes.
     *
     * @return {@link Approximate#NONE} or {@link Approximate#TANH}, as given at construction
     */
    public Approximate approximate() {
        return approximate;
    }

    /** Both forms are {@code gelu}; the config tells them apart. */
    @Override
    public String type() {
        return "gelu";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of(APPROXIMATE, approximate.label());
    }

    @Override
    public String toString() {
        return approximate == Approximate.NONE ? "GELU()" : "GELU(approximate='" + approximate.label() + "')";
    }
}
