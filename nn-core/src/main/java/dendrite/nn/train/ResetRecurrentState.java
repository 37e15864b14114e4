package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.RecurrentLayer;

/**
 * Resets every recurrent layer's state ({@link RecurrentLayer#resetState()}) where a stateful model
 * starts over: when training begins, after each epoch's last batch (so validation starts from zero,
 * not from the end of the training series) and after each epoch (so the next epoch does not start
 * from the end of the validation series). With it, {@code Trainer.builder(model)...batchSize(rows)
 * .shuffle(false).listener(new ResetRecurrentState())} trains a stateful model on batches from
 * {@code dendrite.nn.data.StatefulBatches}, as PyTorch's word-language-model calls
 * {@code init_hidden} at the start of every epoch and of every evaluation.
 *
 * <p>Checkpoints are taken at the end of an epoch, after the reset, so a resumed run starts from the
 * state an uninterrupted one would have: zero.
 */
public final class ResetRecurrentState implements TrainingListener {
    private Sequential model;

    /** A listener that finds the model's recurrent layers when training begins. */
    public ResetRecurrentState() {
    }

    /**
     * Resets the state of every recurrent layer of {@code model}: call it before evaluating or predicting
     * with a stateful model outside a trainer.
     *
     * @param model the model whose {@link RecurrentLayer}s start their next forward from zero
     * @return the number of recurrent layers reset
     */
    public static int reset(Sequential model) {
        int n = 0;
        for (Layer l : model.layers()) {
            if (l instanceof RecurrentLayer r) {
                r.resetState();
                n++;
            }
        }
        return n;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        model = trainer.model();
        reset(model);
    }

    /** After an epoch's last batch: the validation that follows starts from zero. */
    @Override
    public void onStepEnd(StepEvent step) {
        if (step.batch() == step.batches() - 1) {
            reset(model);
        }
    }

    @Override
    public void onEpochEnd(EpochEvent epoch) {
        reset(model);
    }
}
