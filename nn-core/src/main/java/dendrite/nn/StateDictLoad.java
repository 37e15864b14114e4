package dendrite.nn;

import java.util.List;

/**
 * What a non-strict {@link Sequential#loadStateDict(java.util.Map, boolean)} did, as PyTorch's
 * {@code load_state_dict(strict=False)} reports it: loading the weights of part of a model (a
 * pretrained encoder into a classifier that shares its names) leaves the rest as it was.
 *
 * @param loaded     the model's entries that were written, in state-dict order
 * @param missing    the model's entries the values did not hold, left unchanged
 * @param unexpected the names in the values that the model does not have, ignored, sorted
 */
public record StateDictLoad(List<String> loaded, List<String> missing, List<String> unexpected) {
    /**
     * Copies the lists.
     *
     * @param loaded     the entries written
     * @param missing    the entries left unchanged
     * @param unexpected the names ignored
     */
    public StateDictLoad {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }
}
