package dendrite.nn;

/**
 * Who is training a model: while a thread holds a lease ({@link Sequential#beginTraining()}), a
 * prediction from any other thread is refused rather than read half-updated weights. Leases nest on
 * the training thread (an evaluation inside {@code fit}).
 *
 * <p>Predictions run under {@link #predictions()}'s read lock, several at a time; a lease begins
 * under its write lock, so the predictions in progress finish before training can begin, and the
 * ones that start after see the lease and are refused.
 */
final class TrainingGuard {
    private final Object model;
    private volatile Thread trainingThread;
    private int leaseDepth;
    /** The outermost lease is one object reused, so a training step's lease allocates nothing. */
    private final Lease outerLease = new Lease();

    TrainingGuard(Object model) {
        this.model = model;
    }

    /** Held (read) by every prediction while it runs. */
    java.util.concurrent.locks.Lock predictions() {
        return predictionLock.readLock();
    }

    private final java.util.concurrent.locks.ReentrantReadWriteLock predictionLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    Sequential.TrainingLease begin() {
        predictionLock.writeLock().lock();
        try {
            return beginLocked();
        } finally {
            predictionLock.writeLock().unlock();
        }
    }

    private Sequential.TrainingLease beginLocked() {
        synchronized (model) {
            Thread t = trainingThread;
            if (t != null && t != Thread.currentThread()) {
                throw new IllegalStateException("model is already being trained by thread " + t.getName());
            }
            trainingThread = Thread.currentThread();
            leaseDepth++;
            if (leaseDepth == 1) {
                outerLease.open = true;
                return outerLease;
            }
            Lease nested = new Lease();
            nested.open = true;
            return nested;
        }
    }

    /** Throws naming {@code op} when another thread is training the model. */
    void checkNotTrainingElsewhere(String op) {
        Thread t = trainingThread;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException(op + ": the model is being trained by thread " + t.getName()
                    + "; predict after fit returns, or on a separate model loaded from a checkpoint");
        }
    }

    /** A lease that releases once, however often it is closed. */
    private final class Lease implements Sequential.TrainingLease {
        private boolean open;

        @Override
        public void close() {
            synchronized (model) {
                if (open) {
                    open = false;
                    if (--leaseDepth == 0) {
                        trainingThread = null;
                    }
                }
            }
        }
    }
}
