package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.Parameter;
import dendrite.nn.losses.Loss;
import dendrite.tensor.Tensor;

/**
 * Finds where a non-finite loss came from. Runs only after the loss went bad, so it reads tensors
 * back to the host freely: the input batch, then each layer's output in forward order, then the
 * gradients in backward order.
 */
final class NonFiniteDiagnosis {
    private NonFiniteDiagnosis() {
    }

    static NonFiniteLossException diagnose(Sequential model, Loss loss, Tensor x, float value, long step, int epoch,
            int batch) {
        // batch < 0: a batch the caller gave to Trainer.step, which has no index in an epoch
        String where = "step " + step + " (epoch " + epoch + (batch < 0 ? "" : ", batch " + batch) + "): loss is "
                + value;
        if (!finite(x)) {
            return new NonFiniteLossException(where + "; the input batch already holds NaN or infinite values"
                    + " (check the data)", step, -1);
        }
        for (int i = 0; i < model.size(); i++) {
            Tensor out = model.lastOutput(i);
            if (out != null && !finite(out)) {
                Layer l = model.layer(i);
                String cause = nonFiniteParameter(l);
                return new NonFiniteLossException(where + "; first non-finite output: layer " + i + " (" + l.type() + ")"
                        + (cause == null ? "" : ", whose " + cause + " is not finite")
                        + "; try a lower learning rate or gradient clipping", step, i);
            }
        }
        return new NonFiniteLossException(where + "; every layer output is finite, so the loss " + loss.name()
                + " itself overflowed (check the targets, and that the loss fits the output: logits or probabilities)",
                step, -1);
    }

    /** Also reports a gradient: after a bad step, the first layer (backward order) with a non-finite gradient. */
    private static String nonFiniteParameter(Layer l) {
        for (Parameter p : l.parameters()) {
            if (!finite(p.value())) {
                return "parameter " + p.name();
            }
            if (!finite(p.grad())) {
                return "gradient of " + p.name() + " (from the previous step)";
            }
        }
        return null;
    }

    private static boolean finite(Tensor t) {
        for (float v : t.toArray()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
