package dendrite.nn.train;

/**
 * One finished training step.
 *
 * @param epoch        the epoch, from 0
 * @param batch        the batch within the epoch, from 0
 * @param batches      batches per epoch
 * @param globalStep   optimizer steps so far, this one included
 * @param loss         this batch's loss
 * @param batchSize    samples in this batch
 * @param learningRate the rate this step used
 */
public record StepEvent(int epoch, int batch, int batches, long globalStep, double loss, int batchSize,
        double learningRate) {
}
