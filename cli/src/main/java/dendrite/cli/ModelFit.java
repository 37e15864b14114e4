package dendrite.cli;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import java.nio.file.Path;

/**
 * Checks that a loaded model can take a dataset, before any prediction: a model trained on
 * 64 features given 784, or a regression model given classes, is the user's mistake to be told
 * in one line, not a shape error from deep inside a kernel.
 */
final class ModelFit {
    private ModelFit() {
    }

    static void check(Path modelFile, Sequential model, ModelInfo info, Dataset data, boolean needTargets) {
        int inputs = model.inputShape().size();
        if (data.sampleSize() != inputs) {
            throw new BadInputException("model " + modelFile + " takes " + inputs + " features per sample, but "
                    + data.name() + " has " + data.sampleSize() + ": the model's architecture does not fit this data");
        }
        if (info.scaler() != null && info.scaler().features() != inputs) {
            throw new BadInputException("model " + modelFile + ": its scaler has " + info.scaler().features()
                    + " features but the model takes " + inputs + "; the file is inconsistent");
        }
        if (!needTargets) {
            return;
        }
        int outputs = model.outputShape().size();
        if (data.isClassification() != info.classification()) {
            throw new BadInputException("model " + modelFile + " is a " + info.task() + " model, but " + data.name() + " is a "
                    + (data.isClassification() ? "classification" : "regression") + " set");
        }
        if (data.isClassification() && data.numClasses() > outputs) {
            throw new BadInputException("model " + modelFile + " predicts " + outputs + " classes, but " + data.name() + " has "
                    + data.numClasses() + ": the model's architecture does not fit this data");
        }
        if (!data.isClassification() && data.targetSize() != outputs) {
            throw new BadInputException("model " + modelFile + " predicts " + outputs + " values per sample, but "
                    + data.name() + " has " + data.targetSize() + " targets");
        }
    }
}
