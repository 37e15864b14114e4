package dendrite.nn.layers;

import java.util.List;
import java.util.Map;

/**
 * Reads layer hyperparameters from a config map, whatever number types a JSON reader produced
 * ({@code Integer}, {@code Long}, {@code Double}, {@code BigDecimal}, ...).
 */
public final class Configs {
    private Configs() {
    }

    /**
     * The integer at {@code key}; an exception naming the layer type and key when it is missing, not a
     * whole number, or beyond an int (a file's 4294967360 must not load as 64).
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @return the value as an int
     * @throws IllegalArgumentException if the key is missing, or its value is not a whole number within an int
     */
    public static int intValue(Map<String, ?> config, String type, String key) {
        return toInt(required(config, type, key), type, key);
    }

    private static int toInt(Object v, String type, String key) {
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be a whole number, not " + describe(v));
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be a whole number, not " + v);
        }
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE
                || (n instanceof Long l && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE))) {
            throw new IllegalArgumentException(type + ": '" + key + "' is " + v + ", beyond the range of an int ("
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
        }
        return n.intValue();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "the text \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\""
                : v instanceof List ? "a list" : v instanceof Map ? "an object" : String.valueOf(v);
    }

    /**
     * The number at {@code key} as a double, or {@code orElse} when the key is absent.
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @param orElse the default when the key is absent (or maps to {@code null})
     * @return the value as a double
     * @throws IllegalArgumentException if the value is not a number
     */
    public static double doubleValue(Map<String, ?> config, String type, String key, double orElse) {
        Object v = config.get(key);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be a number, not " + describe(v));
        }
        return n.doubleValue();
    }

    /**
     * The boolean at {@code key}, or {@code orElse} when the key is absent.
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @param orElse the default when the key is absent (or maps to {@code null})
     * @return the value
     * @throws IllegalArgumentException if the value is not a {@code Boolean}
     */
    public static boolean booleanValue(Map<String, ?> config, String type, String key, boolean orElse) {
        Object v = config.get(key);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be true or false, not " + describe(v));
        }
        return b;
    }

    /**
     * The text at {@code key} (any other value as its {@code toString()}), or {@code orElse} when the key
     * is absent.
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @param orElse the default when the key is absent (or maps to {@code null}); may be {@code null}
     * @return the value as text, or {@code orElse}
     */
    public static String stringValue(Map<String, ?> config, String type, String key, String orElse) {
        Object v = config.get(key);
        return v == null ? orElse : v.toString();
    }

    /**
     * A list of integers (a shape), from a {@code List} of numbers or an {@code int[]}.
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @return a new array of the values, in order
     * @throws IllegalArgumentException if the key is missing, the value is not a list, or an element is not a
     *                                  whole number within an int
     */
    public static int[] intsValue(Map<String, ?> config, String type, String key) {
        Object v = required(config, type, key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(type + ": '" + key + "' must be a list of whole numbers, not "
                    + describe(v));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(list.get(i), type, key + "[" + i + "]");
        }
        return out;
    }

    /**
     * A {@code [height, width]} pair, written as one number for both or a list of two (as PyTorch
     * takes {@code kernel_size=3} or {@code (3, 2)}); {@code orElse} when absent, or required when
     * {@code orElse} is null.
     *
     * @param config the layer's config map, as {@link Layer#config()} gave it or a JSON reader produced it
     * @param type   the layer type, for error messages, e.g. {@code dense}
     * @param key    the hyperparameter's name, e.g. {@code units}
     * @param orElse the {@code [height, width]} default when the key is absent, or {@code null} to require it
     * @return a new two-element array {@code [height, width]}
     * @throws IllegalArgumentException if the key is required but missing, or the value is neither one whole
     *                                  number nor a list of two
     */
    public static int[] intPair(Map<String, ?> config, String type, String key, int[] orElse) {
        if (!config.containsKey(key) && orElse != null) {
            return orElse.clone();
        }
        if (config.get(key) instanceof Number) {
            int n = intValue(config, type, key);
            return new int[] {n, n};
        }
        int[] p = intsValue(config, type, key);
        if (p.length != 2) {
            throw new IllegalArgumentException(type + ": " + key + " must be one number or two, got " + p.length);
        }
        return p;
    }

    /**
     * {@code dims} as an immutable {@code List<Integer>}, the config form of a shape.
     *
     * @param dims the dimensions or other integers to box; not kept
     * @return an immutable list of the same values, in order
     */
    public static List<Integer> list(int[] dims) {
        Integer[] boxed = new Integer[dims.length];
        for (int i = 0; i < dims.length; i++) {
            boxed[i] = dims[i];
        }
        return List.of(boxed);
    }

    private static Object required(Map<String, ?> config, String type, String key) {
        Object v = config.get(key);
        if (v == null) {
            throw new IllegalArgumentException("layer " + type + ": config " + config + " has no '" + key + "'");
        }
        return v;
    }
}
