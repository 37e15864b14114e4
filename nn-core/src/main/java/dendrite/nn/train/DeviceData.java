package dendrite.nn.train;

import dendrite.nn.data.Dataset;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.MultiTaskLoss;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Arrays;

/**
 * A dataset uploaded to the backend once: features {@code [n, input...]} and targets ({@code [n]} class
 * indices, or {@code [n, targetSize]} regression values). Mini-batches are gathered from these with
 * {@link Backend#gatherRows}, so no host-to-device copy happens per step.
 */
final class DeviceData implements AutoCloseable {
    final Dataset data;
    final Tensor features;
    final Tensor targets;
    final Shape targetSample;

    DeviceData(Backend be, Dataset data, Shape inputShape, Shape outputShape, Loss loss, String op) {
        if (data.sampleSize() != inputShape.size()) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " has samples of "
                    + Arrays.toString(data.sampleShape()) + " but the model takes " + inputShape
                    + "; reshape the data or change the model's input shape");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " is empty");
        }
        if (loss instanceof MultiTaskLoss heads) {
            checkHeadsFit(data, outputShape, heads, op);
        } else {
            checkTargetsFit(data, outputShape, op);
        }
        this.data = data;
        int[] dims = new int[inputShape.rank() + 1];
        dims[0] = data.size();
        System.arraycopy(inputShape.dims(), 0, dims, 1, inputShape.rank());
        this.features = be.tensor(data.features(), dims);
        this.targetSample = data.isClassification() ? Shape.scalar() : Shape.of(data.targetSize());
        this.targets = data.isClassification() ? be.tensor(data.targets(), data.size())
                : be.tensor(data.targets(), data.size(), data.targetSize());
    }

    /**
     * Refuses targets the model's output cannot be compared with, before anything is uploaded: a
     * loss would otherwise fail at the first step naming itself rather than the call, or (a label
     * past the last output, on a backend that does not range-check one-hot labels) train silently
     * on wrong targets.
     */
    private static void checkTargetsFit(Dataset data, Shape outputShape, String op) {
        int outputs = outputShape.size();
        if (data.isClassification()) {
            int classes = data.numClasses();
            if (outputs == 1 ? classes > 2 : classes > outputs) {
                throw new IllegalArgumentException(op + ": dataset " + data.name() + " has " + classes
                        + " classes but the model outputs " + outputShape + " per sample; end the model in a Dense("
                        + classes + ") (or Dense(1) for two classes)");
            }
        } else if (data.targetSize() != outputs) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " has " + data.targetSize()
                    + " target values per sample but the model outputs " + outputShape
                    + "; end the model in a Dense(" + data.targetSize() + ")");
        }
    }

    /** A multi-task loss reads its heads' columns: the data must hold as many target columns as they own. */
    private static void checkHeadsFit(Dataset data, Shape outputShape, MultiTaskLoss heads, String op) {
        if (outputShape.size() != heads.outputWidth()) {
            throw new IllegalArgumentException(op + ": the model outputs " + outputShape + " per sample but the"
                    + " multi-task loss's heads own " + heads.outputWidth() + " columns");
        }
        if (data.isClassification() || data.targetSize() != heads.targetWidth()) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " has " + (data.isClassification()
                    ? "class labels" : data.targetSize() + " target values per sample") + " but the multi-task"
                    + " loss's heads read " + heads.targetWidth() + " target columns; give each head its columns"
                    + " (Dataset.regression with " + heads.targetWidth() + " targets per sample)");
        }
    }

    int size() {
        return data.size();
    }

    @Override
    public void close() {
        features.close();
        targets.close();
    }
}
