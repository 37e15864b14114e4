package dendrite.backend.vector;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import dendrite.tensor.op.ReduceOp;
import dendrite.tensor.spi.Slice;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT compiler going on the kernels a training step uses, in the background, once per
 * JVM, as soon as the first {@link VectorKernels} is made (typically while the application is
 * still reading its data).
 *
 * <p>The Vector API runs fast only once C2 has compiled the code that calls it: before that,
 * every vector operation is an allocating Java fallback, far slower than scalar code, so the
 * first calls on a real workload (a convolution of a batch of 128) are very slow. C2 compiles a
 * method only after thousands of calls, and large vector methods take it long on a busy core.
 * This thread runs the kernels of a small CNN's training
 * step (convolutions, pooling, ReLU, dense layers, softmax, Adam) on small tensors, round after
 * round, so that the calls that trigger compilation are cheap ones and happen early, on a core
 * that is otherwise idle while the data loads.
 *
 * <p>It uses kernels of its own on one thread (no pool) and keeps nothing of the caller's, so a
 * dropped backend stays collectable. It stops after {@link #ROUNDS} rounds or {@link #BUDGET_NANOS},
 * whichever comes first.
 *
 * <p>Off unless {@code -Ddendrite.vector.warmup=true}: a library that starts a thread of its own and
 * spends seconds of CPU would surprise an application embedding it. The {@code dendrite} command
 * turns it on, since it loads data while the warm-up runs.
 */
final class VectorWarmup {
    /** System property: {@code true} turns the warm-up on. */
    static final String PROPERTY = "dendrite.vector.warmup";
    /** Rounds at most: enough calls of the kernels' outer loops for C2 to compile them. */
    private static final int ROUNDS = 1500;
    /** Wall time at most. */
    private static final long BUDGET_NANOS = 4_000_000_000L;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private VectorWarmup() {
    }

    /** Starts the warm-up thread unless it has been started before or is turned off. */
    static void startOnce() {
        if (Boolean.parseBoolean(System.getProperty(PROPERTY, "false")) && STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(VectorWarmup::run, "dendrite-vector-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    private static void run() {
        try (VectorKernels k = new VectorKernels(1)) {
            new Step(k).rounds();
        } catch (RuntimeException | Error e) {
            // Only a warm-up: whatever goes wrong here, the real calls report it themselves.
        }
    }

    /** A small CNN's tensors and one training step's kernels on them. */
    private static final class Step {
        private final VectorKernels k;
        // conv 1 -> 16 (3 x 3) on 10 x 10, conv 4 -> 40 (3 x 3) on 12 x 12, pooling 2 x 2: as small as
        // takes the paths a real layer takes (packed GEMMs: at least 48^3 multiply-adds, k above 32)
        private final Conv2dGeometry c1 = Conv2dGeometry.conv(2, 1, 10, 10, 16, 3, 3, 1, 0, 1, 1);
        private final Conv2dGeometry c2 = Conv2dGeometry.conv(2, 4, 12, 12, 40, 3, 3, 1, 0, 1, 1);
        private final Conv2dGeometry p1 = Conv2dGeometry.pool(2, 40, 10, 10, 2, 2, 2, 2, 0, 0);
        private final Conv2dGeometry p2 = Conv2dGeometry.pool(1, 2, 18, 18, 2, 2, 2, 2, 0, 0);
        private final Slice x1;
        private final Slice w1;
        private final Slice b1;
        private final Slice y1;
        private final Slice dw1;
        private final Slice db1;
        private final Slice x2;
        private final Slice w2;
        private final Slice b2;
        private final Slice y2;
        private final Slice a2;
        private final Slice dy2;
        private final Slice dx2;
        private final Slice dw2;
        private final Slice db2;
        private final Slice q1;
        private final Slice dq1;
        private final Slice big;
        private final Slice q2;
        private final Slice dbig;
        // dense 64 -> 48 -> 10 at batch 48
        private final Slice h;
        private final Slice wd;
        private final Slice bd;
        private final Slice hd;
        private final Slice dhd;
        private final Slice dwd;
        private final Slice dh;
        private final Slice wo;
        private final Slice bo;
        private final Slice logits;
        private final Slice probs;
        private final Slice dwo;
        private final Slice m;
        private final Slice v;
        private final Slice sums;
        // a 10-class layer's input gradient at batch 64 onto 64 inputs (the in-place four-row tiles)
        private final Slice dlogits;
        private final Slice wout;
        private final Slice dhidden;

        Step(VectorKernels k) {
            this.k = k;
            x1 = slice(c1.batch() * c1.imageSize(), 0.5f);
            w1 = slice(c1.outChannels() * c1.patchSize(), 0.1f);
            b1 = slice(c1.outChannels(), 0.01f);
            y1 = slice(c1.batch() * c1.outImageSize(), 0f);
            dw1 = slice(c1.outChannels() * c1.patchSize(), 0f);
            db1 = slice(c1.outChannels(), 0f);
            x2 = slice(c2.batch() * c2.imageSize(), 0.5f);
            w2 = slice(c2.outChannels() * c2.patchSize(), 0.1f);
            b2 = slice(c2.outChannels(), 0.01f);
            y2 = slice(c2.batch() * c2.outImageSize(), 0f);
            a2 = slice(c2.batch() * c2.outImageSize(), 0f);
            dy2 = slice(c2.batch() * c2.outImageSize(), 0.2f);
            dx2 = slice(c2.batch() * c2.imageSize(), 0f);
            dw2 = slice(c2.outChannels() * c2.patchSize(), 0f);
            db2 = slice(c2.outChannels(), 0f);
            q1 = slice(p1.batch() * p1.outImageSize(), 0f);
            dq1 = slice(p1.batch() * p1.outImageSize(), 0.3f);
            big = slice(p2.batch() * p2.imageSize(), 0.4f);
            q2 = slice(p2.batch() * p2.outImageSize(), 0f);
            dbig = slice(p2.batch() * p2.imageSize(), 0f);
            h = slice(48 * 64, 0.5f);
            wd = slice(48 * 64, 0.1f);
            bd = slice(48, 0.01f);
            hd = slice(48 * 48, 0f);
            dhd = slice(48 * 48, 0.1f);
            dwd = slice(48 * 64, 0f);
            dh = slice(48 * 64, 0f);
            wo = slice(10 * 48, 0.1f);
            bo = slice(10, 0f);
            logits = slice(48 * 10, 0f);
            probs = slice(48 * 10, 0f);
            dwo = slice(10 * 48, 0f);
            m = slice(48 * 64, 0f);
            v = slice(48 * 64, 0f);
            sums = slice(64, 0f);
            dlogits = slice(64 * 10, 0.1f);
            wout = slice(10 * 64, 0.1f);
            dhidden = slice(64 * 64, 0f);
        }

        private Slice slice(int n, float value) {
            Slice s = new Slice(k.allocate(n), 0);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = value * ((i * 7919 % 13) - 6);
            }
            k.write(values, 0, s, n);
            return s;
        }

        void rounds() {
            long end = System.nanoTime() + BUDGET_NANOS;
            for (int r = 0; r < ROUNDS && System.nanoTime() < end; r++) {
                round();
            }
        }

        private void round() {
            // Convolutions: a first layer (weight gradient as dot products) and a second (all GEMMs).
            k.conv2d(c1, x1, w1, b1, y1);
            k.conv2dBackwardWeights(c1, y1, x1, dw1, db1);
            k.conv2d(c2, x2, w2, b2, y2);
            k.activation(Activation.RELU, 0f, c2.batch() * c2.outImageSize(), y2, a2);
            k.pool2d(PoolOp.MAX, p1, a2, q1);
            k.pool2dBackward(PoolOp.MAX, p1, a2, q1, dq1, dy2);
            k.activationBackward(Activation.RELU, 0f, c2.batch() * c2.outImageSize(), y2, a2, dy2, dy2);
            k.conv2dBackwardWeights(c2, dy2, x2, dw2, db2);
            k.conv2dBackwardData(c2, dy2, w2, dx2);
            // Pooling with rows a vector long or more.
            k.pool2d(PoolOp.MAX, p2, big, q2);
            k.pool2dBackward(PoolOp.MAX, p2, big, q2, q2, dbig);
            // Dense layers, softmax and their gradients, Adam.
            k.linear(48, 48, 64, h, wd, bd, Activation.RELU, 0f, hd);
            k.linear(48, 10, 48, hd, wo, bo, Activation.IDENTITY, 0f, logits);
            k.logSoftmax(48, 10, logits, probs);
            k.softmax(48, 10, logits, probs);
            k.gemm(true, false, 10, 48, 48, 1f, probs, hd, 0f, dwo);
            k.gemm(true, false, 48, 64, 48, 1f, dhd, h, 0f, dwd);
            k.gemm(false, false, 48, 64, 48, 1f, dhd, wd, 0f, dh);
            k.gemm(false, false, 64, 64, 10, 1f, dlogits, wout, 0f, dhidden);
            k.reduce(ReduceOp.SUM, 1, 48, 64, dh, sums);
            k.adamUpdate(48 * 64, wd, dwd, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, 0.1f, 0.01f);
        }
    }
}
