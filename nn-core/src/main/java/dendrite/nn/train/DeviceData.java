package dendrite.nn.train;

import dendrite.nn.data.Dataset;
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

    DeviceData(Backend be, Dataset data, Shape inputShape, String op) {
        if (data.sampleSize() != inputShape.size()) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " has samples of "
                    + Arrays.toString(data.sampleShape()) + " but the model takes " + inputShape
                    + "; reshape the data or change the model's input shape");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(op + ": dataset " + data.name() + " is empty");
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

    int size() {
        return data.size();
    }

    @Override
    public void close() {
        features.close();
        targets.close();
    }
}
