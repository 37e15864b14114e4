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

    /** The integer at {@code key}; an exception naming the layer type and key when missing. */
    public static int intValue(Map<String, ?> config, String type, String key) {
        return ((Number) required(config, type, key)).intValue();
    }

    public static double doubleValue(Map<String, ?> config, String type, String key, double orElse) {
        Object v = config.get(key);
        return v == null ? orElse : ((Number) v).doubleValue();
    }

    public static boolean booleanValue(Map<String, ?> config, String type, String key, boolean orElse) {
        Object v = config.get(key);
        return v == null ? orElse : (Boolean) v;
    }

    public static String stringValue(Map<String, ?> config, String type, String key, String orElse) {
        Object v = config.get(key);
        return v == null ? orElse : v.toString();
    }

    /** A list of integers (a shape), from a {@code List} of numbers or an {@code int[]}. */
    public static int[] intsValue(Map<String, ?> config, String type, String key) {
        Object v = required(config, type, key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        List<?> list = (List<?>) v;
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).intValue();
        }
        return out;
    }

    /** {@code dims} as an immutable {@code List<Integer>}, the config form of a shape. */
    /**
     * A {@code [height, width]} pair, written as one number for both or a list of two (as PyTorch
     * takes {@code kernel_size=3} or {@code (3, 2)}); {@code orElse} when absent, or required when
     * {@code orElse} is null.
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
