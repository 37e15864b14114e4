package dendrite.nn.layers;

import dendrite.tensor.op.CounterRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A layer's random stream: its seed and how many training passes have drawn from it. With
 * counter-based randomness ({@link CounterRandom}) these two numbers are the whole generator, so
 * they are what a checkpoint saves ({@link Layer#randomState()}) and gives back.
 */
final class RandomStream {
    static final String SEED = "seed";
    static final String PASSES = "passes";
    private final String layer;
    private long seed;
    private long passes;

    RandomStream(String layer) {
        this.layer = layer;
    }

    void seed(long seed) {
        this.seed = seed;
    }

    /** The seed for the next training pass. */
    long next() {
        return CounterRandom.bits(seed, passes++);
    }

    Map<String, Long> state() {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put(SEED, seed);
        s.put(PASSES, passes);
        return s;
    }

    void restore(Map<String, Long> state) {
        if (!state.keySet().equals(Set.of(SEED, PASSES))) {
            throw new IllegalArgumentException(layer + ": random state must name exactly [" + SEED + ", " + PASSES
                    + "], got " + new TreeSet<>(state.keySet()));
        }
        if (state.get(PASSES) < 0) {
            throw new IllegalArgumentException(layer + ": random state " + PASSES + " " + state.get(PASSES)
                    + " is negative");
        }
        seed = state.get(SEED);
        passes = state.get(PASSES);
    }
}
