package dendrite.nn.losses;

import java.util.Locale;

/**
 * How a loss turns its per-element terms into the one value training drives down: PyTorch's
 * {@code reduction} argument, without {@code 'none'} (a {@link Loss} gives one value). Each loss says
 * which it takes and what its mean divides by.
 */
public enum Reduction {
    /** The mean: the sum over the number of terms, or, for a weighted loss, over the total weight. */
    MEAN,
    /** The sum of the terms. */
    SUM,
    /**
     * The sum over the batch size (the prediction's first dimension): the Kullback-Leibler divergence per
     * sample, which {@link KLDivergence} takes by default (PyTorch's {@code 'batchmean'}).
     */
    BATCHMEAN;

    /** The lower-case name, PyTorch's string, kept rather than computed. */
    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * PyTorch's name for it.
     *
     * @return {@code mean}, {@code sum} or {@code batchmean}
     */
    public String label() {
        return label;
    }

    /**
     * The reduction PyTorch calls {@code name}, if {@code loss} takes it.
     *
     * @param name    {@code mean}, {@code sum} or {@code batchmean} (any case)
     * @param loss    the loss's name, for the message
     * @param allowed the reductions that loss takes
     * @return the reduction
     * @throws IllegalArgumentException for another name (PyTorch's {@code none} included) or one the loss does
     *                                  not take, listing those it does
     */
    static Reduction of(String name, String loss, Reduction... allowed) {
        for (Reduction r : allowed) {
            if (r.label.equals(String.valueOf(name).toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Reduction r : allowed) {
            known.append(known.length() == 0 ? "" : ", ").append(r.label);
        }
        throw new IllegalArgumentException(loss + ": reduction '" + name + "' is not one of " + known
                + ("none".equals(name) ? " (a loss gives one value, so not 'none')" : ""));
    }

    /** Checks that {@code loss} takes {@code r}, naming those it does otherwise. */
    static Reduction check(Reduction r, String loss, Reduction... allowed) {
        if (r == null) {
            throw new IllegalArgumentException(loss + ": the reduction is null");
        }
        return of(r.label, loss, allowed);
    }
}
