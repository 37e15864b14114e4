package dendrite.nn.train;

/**
 * One finished training step.
 *
 * @param epoch        the epoch, from 0
 * @param batch        the batch within the epoch, from 0 (with gradients accumulated over several
 *                     batches, the step's last)
 * @param batches      batches per epoch
 * @param globalStep   optimizer steps so far, this one included
 * @param loss         this batch's loss (the mean over the step's batches when accumulated)
 * @param batchSize    samples in this batch (in the step's batches when accumulated)
 * @param learningRate the rate this step used
 */
public record StepEvent(int epoch, int batch, int batches, long globalStep, double loss, int batchSize,
        double learningRate) {
}
