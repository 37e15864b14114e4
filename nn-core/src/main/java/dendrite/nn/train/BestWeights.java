package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Early stopping's bookkeeping: the best value so far, and a device copy of the weights that gave it. */
final class BestWeights {
    private final EarlyStopping rule;
    private final Backend be;
    private final List<Tensor> live = new ArrayList<>();
    private final List<Tensor> saved = new ArrayList<>();
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int waited;

    BestWeights(Sequential model, EarlyStopping rule) {
        this.rule = rule;
        this.be = model.backend();
        if (rule.restoresBestWeights()) {
            for (Tensor t : model.stateDict().values()) {
                live.add(t);
                saved.add(Scope.unscoped(() -> be.allocate(t.shape())));
            }
        }
    }

    /** Records an epoch; returns whether training should stop. */
    boolean update(int epoch, Map<String, Double> metrics) {
        Double value = metrics.get(rule.metric());
        if (value == null) {
            throw new IllegalArgumentException("early stopping monitors '" + rule.metric() + "' but the epoch's metrics are "
                    + metrics.keySet() + (rule.metric().startsWith("val_") ? "; give a validation split or set" : ""));
        }
        if (rule.improves(value, best)) {
            best = value;
            bestEpoch = epoch;
            waited = 0;
            for (int i = 0; i < live.size(); i++) {
                be.copy(live.get(i), saved.get(i));
            }
            return false;
        }
        return ++waited >= rule.patience();
    }

    /** Puts the best epoch's weights back (if asked and if a later epoch was worse). */
    void finish(History history) {
        history.bestEpoch(bestEpoch);
        if (bestEpoch >= 0 && rule.restoresBestWeights() && bestEpoch != history.epochs().get(history.size() - 1)) {
            for (int i = 0; i < live.size(); i++) {
                be.copy(saved.get(i), live.get(i));
            }
        }
        saved.forEach(Tensor::close);
    }
}
