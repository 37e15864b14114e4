package dendrite.backend.vector;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Convolutions over a batch as im2col and packed GEMM, and pooling over a batch, split over the
 * backend's threads.
 *
 * <p><b>Algorithm.</b> For each image and group, {@link VectorImages#im2col} unfolds the patches
 * into a {@code [patchSize, outH * outW]} column matrix, and the convolution becomes one product on
 * {@link VectorGemm}, whose packed, register-blocked kernels do nearly all the arithmetic (a direct
 * loop over the seven indices would re-read each pixel {@code kernelH * kernelW} times with no
 * register reuse):
 * <ul>
 *   <li>forward: {@code out_g [outC/g, pixels] = w_g [outC/g, patch] x cols}, the bias written
 *       into the output rows first and the product added onto it ({@code beta = 1});</li>
 *   <li>input gradient: {@code cols = w_g^T x dy_g}, folded back onto the image with
 *       {@link VectorImages#col2im};</li>
 *   <li>weight gradient: {@code dw_g += dy_g x cols^T}, image after image.</li>
 * </ul>
 * A 1 x 1 kernel with stride 1 and no padding needs no columns: the image is its own column matrix.
 *
 * <p><b>Threads.</b> When the batch has images enough, parts of the batch run on different threads,
 * each image's products on one thread (a GEMM called inside a part runs its own parts in turn);
 * otherwise images run one after another and each GEMM splits itself. Either way each output
 * element is computed by the same operations in the same order. The weight gradient sums over the
 * batch, so there the images are cut into {@link #weightChunks chunks} chosen from the geometry
 * alone: chunk 0 sums into dw, each other chunk into its own partial, and the partials are added
 * onto dw in chunk order. The bits are therefore the same on any number of threads.
 *
 * <p><b>Memory.</b> Nothing is allocated per call once warm: each thread that runs a part keeps a
 * column buffer, and each calling thread a {@link Job} (the arguments its parts read, and the
 * weight gradient's partials), both grown to the largest size seen and reused.
 */
final class VectorConvolutions {
    /** Multiply-adds per part at the least: below twice this, one part. */
    private static final long GRAIN = 1L << 19;
    /** Window taps per part of a pooling at the least (each a load and a compare or add). */
    private static final long POOL_GRAIN = 1L << 16;
    /** A per-image product this large is split by the GEMM itself when the batch is too small to share. */
    private static final long GEMM_SPLITS_ITSELF = 1L << 21;
    /**
     * Largest column matrix (floats) a part may unfold while others do the same: above it the images
     * run one by one, with one buffer, and the GEMMs take the threads.
     */
    private static final long PARALLEL_COLUMNS = 1L << 21;
    /** The most chunks the weight gradient's batch is cut into. */
    private static final int MAX_CHUNKS = 32;
    /** The most floats all partial weight gradients may hold together. */
    private static final long PARTIALS = 1L << 21;

    private final Parallel parallel;
    private final VectorGemm gemm;
    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);
    private final ThreadLocal<Columns> columns = ThreadLocal.withInitial(Columns::new);
    /** How many times any buffer here was grown: constant in a steady loop (for tests). */
    private final AtomicInteger growths = new AtomicInteger();

    VectorConvolutions(Parallel parallel, VectorGemm gemm) {
        this.parallel = parallel;
        this.gemm = gemm;
    }

    /** How many times a column buffer or partial weight gradient has been grown so far. */
    int workspaceGrowths() {
        return growths.get();
    }

    /** What a part does. */
    private enum Kind { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS, POOL, POOL_BACKWARD }

    /**
     * One call's arguments, for its parts; one per calling thread, refilled by each call, so handing
     * parts to the pool allocates nothing. Its arrays and its owner are cleared when the call ends:
     * a thread's job must not keep the caller's tensors, or this engine, reachable.
     */
    private static final class Job {
        VectorConvolutions owner;
        Kind kind;
        PoolOp poolOp;
        Conv2dGeometry g;
        /** The input read: x, or dy for the input gradient. */
        float[] a;
        int aOff;
        /** The second input: w, or x for the weight gradient (null for pooling). */
        float[] b;
        int bOff;
        float[] bias;
        int biasOff;
        /** The output: out, dx or dw. */
        float[] c;
        int cOff;
        /** Parts and the batch (or planes) they divide. */
        int parts;
        int items;
        /** The weight gradient's partials: chunk p > 0 at {@code (p - 1) * dwSize}. */
        float[] partials = new float[0];
        final IntConsumer part = p -> owner.part(this, p);

        Job set(VectorConvolutions owner, Kind kind, Conv2dGeometry g, float[] a, int aOff, float[] b, int bOff,
                float[] c, int cOff) {
            this.owner = owner;
            this.kind = kind;
            this.g = g;
            this.a = a;
            this.aOff = aOff;
            this.b = b;
            this.bOff = bOff;
            this.c = c;
            this.cOff = cOff;
            this.bias = null;
            this.biasOff = 0;
            return this;
        }

        /** The first item of part p: parts take contiguous, nearly equal ranges. */
        int from(int p) {
            return (int) ((long) items * p / parts);
        }

        void release() {
            owner = null;
            g = null;
            a = null;
            b = null;
            bias = null;
            c = null;
        }
    }

    /** A thread's column matrix, grown to the largest one it has unfolded. */
    private static final class Columns {
        float[] cols = new float[0];
    }

    private float[] columns(int size) {
        Columns ws = columns.get();
        if (ws.cols.length < size) {
            ws.cols = new float[size];
            growths.incrementAndGet();
        }
        return ws.cols;
    }

    // ------------------------------------------------------------------ entry points

    /** {@code out = conv(x, w) + bias}; bias may be null. */
    void conv2d(Conv2dGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff, float[] out,
            int outOff) {
        Job job = jobs.get().set(this, Kind.FORWARD, g, x, xOff, w, wOff, out, outOff);
        job.bias = bias;
        job.biasOff = biasOff;
        runOverImages(job);
    }

    /** {@code dx} (overwritten) from {@code dy} and {@code w}. */
    void conv2dBackwardData(Conv2dGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        runOverImages(jobs.get().set(this, Kind.BACKWARD_DATA, g, dy, dyOff, w, wOff, dx, dxOff));
    }

    /** {@code dw} and, unless null, {@code dbias} (both overwritten), summed over the batch. */
    void conv2dBackwardWeights(Conv2dGeometry g, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff,
            float[] dbias, int dbiasOff) {
        Job job = jobs.get().set(this, Kind.BACKWARD_WEIGHTS, g, dy, dyOff, x, xOff, dw, dwOff);
        int chunks = weightChunks(g);
        int dwSize = g.outChannels() * g.patchSize();
        if (job.partials.length < (chunks - 1) * dwSize) {
            job.partials = new float[(chunks - 1) * dwSize];
            growths.incrementAndGet();
        }
        job.items = g.batch();
        job.parts = chunks;
        try {
            parallel.run(chunks, job.part);
            for (int p = 1; p < chunks; p++) {
                VectorElementwise.binary(BinaryOp.ADD, dwSize, dw, dwOff, job.partials, (p - 1) * dwSize, dw, dwOff);
            }
        } finally {
            job.release();
        }
        if (dbias != null) {
            biasGradient(g, dy, dyOff, dbias, dbiasOff);
        }
    }

    /** Pools planes split over the threads; each plane is one part's. */
    void pool2d(PoolOp op, Conv2dGeometry g, float[] x, int xOff, float[] out, int outOff) {
        Job job = jobs.get().set(this, Kind.POOL, g, x, xOff, null, 0, out, outOff);
        job.poolOp = op;
        runOverPlanes(job);
    }

    /** Pooling's input gradient {@code dx} (overwritten), planes split over the threads. */
    void pool2dBackward(PoolOp op, Conv2dGeometry g, float[] x, int xOff, float[] dOut, int dOutOff, float[] dx,
            int dxOff) {
        Job job = jobs.get().set(this, Kind.POOL_BACKWARD, g, dOut, dOutOff, x, xOff, dx, dxOff);
        job.poolOp = op;
        runOverPlanes(job);
    }

    // ------------------------------------------------------------------ splitting

    /** Multiply-adds of one image's convolution (the same for each of the three products). */
    private static long imageWork(Conv2dGeometry g) {
        return (long) g.outChannels() * g.patchSize() * g.outH() * g.outW();
    }

    /** Floats of one group's column matrix; 0 when the image serves as its own. */
    private static long columnSize(Conv2dGeometry g) {
        return VectorImages.patchesAreTheImage(g) ? 0 : (long) g.patchSize() * g.outH() * g.outW();
    }

    /**
     * How many parts the batch of a forward or input-gradient pass is cut into: one when the work is
     * small, when each part would need a very large column buffer, or when there are fewer images
     * than threads and each image's product is big enough for the GEMM to split it itself.
     */
    private int imageParts(Conv2dGeometry g) {
        int parts = parallel.parts(g.batch() * imageWork(g), GRAIN);
        if (parts == 1 || columnSize(g) > PARALLEL_COLUMNS) {
            return 1;
        }
        if (parts > g.batch() && imageWork(g) >= GEMM_SPLITS_ITSELF) {
            return 1;
        }
        return Math.min(parts, g.batch());
    }

    /**
     * How many chunks the weight gradient cuts the batch into: from the geometry alone, never the
     * thread count, since it decides the order of the sum over the batch. One when the work is small
     * or the columns large (then the GEMMs split themselves); else up to {@link #MAX_CHUNKS}, as far
     * as the partials fit in {@link #PARTIALS} floats.
     */
    static int weightChunks(Conv2dGeometry g) {
        if (g.batch() == 1 || g.batch() * imageWork(g) < 2 * GRAIN || columnSize(g) > PARALLEL_COLUMNS) {
            return 1;
        }
        long dwSize = (long) g.outChannels() * g.patchSize();
        return (int) Math.max(1, Math.min(Math.min(g.batch(), MAX_CHUNKS), 1 + PARTIALS / dwSize));
    }

    private void runOverImages(Job job) {
        job.items = job.g.batch();
        job.parts = imageParts(job.g);
        try {
            if (job.parts == 1) {
                images(job, 0, job.items);
            } else {
                parallel.run(job.parts, job.part);
            }
        } finally {
            job.release();
        }
    }

    private void runOverPlanes(Job job) {
        Conv2dGeometry g = job.g;
        int planes = g.batch() * g.channels();
        long taps = (long) planes * g.outH() * g.outW() * g.kernelH() * g.kernelW();
        job.items = planes;
        job.parts = Math.min(planes, parallel.parts(taps, POOL_GRAIN));
        try {
            if (job.parts == 1) {
                planes(job, 0, planes);
            } else {
                parallel.run(job.parts, job.part);
            }
        } finally {
            job.release();
        }
    }

    /** Part p of a job: its range of images, chunk or planes. */
    private void part(Job job, int p) {
        int from = job.from(p);
        int to = job.from(p + 1);
        switch (job.kind) {
            case FORWARD, BACKWARD_DATA -> images(job, from, to);
            case BACKWARD_WEIGHTS -> weightChunk(job, p, from, to);
            case POOL, POOL_BACKWARD -> planes(job, from, to);
        }
    }

    private void images(Job job, int from, int to) {
        for (int image = from; image < to; image++) {
            if (job.kind == Kind.FORWARD) {
                forwardImage(job, image);
            } else {
                backwardDataImage(job, image);
            }
        }
    }

    private static void planes(Job job, int from, int to) {
        if (job.kind == Kind.POOL) {
            VectorImages.pool2d(job.poolOp, job.g, from, to, job.a, job.aOff, job.c, job.cOff);
        } else {
            VectorImages.pool2dBackward(job.poolOp, job.g, from, to, job.b, job.bOff, job.a, job.aOff, job.c, job.cOff);
        }
    }

    // ------------------------------------------------------------------ one image

    /** Per group: unfold, write the bias into the output rows, add {@code w_g x cols} onto them. */
    private void forwardImage(Job job, int image) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int in = job.aOff + image * g.imageSize();
        for (int group = 0; group < g.groups(); group++) {
            int out = job.cOff + image * g.outImageSize() + group * oc * pixels;
            float beta = 0f;
            if (job.bias != null) {
                for (int o = 0; o < oc; o++) {
                    VectorElementwise.fill(pixels, job.c, out + o * pixels, job.bias[job.biasOff + group * oc + o]);
                }
                beta = 1f;
            }
            float[] cols;
            int colsOff;
            if (VectorImages.patchesAreTheImage(g)) {
                cols = job.a;
                colsOff = in + group * g.groupChannels() * pixels;
            } else {
                cols = columns(patch * pixels);
                colsOff = 0;
                VectorImages.im2col(g, group, job.a, in, cols, 0);
            }
            product(false, false, oc, pixels, patch, job.b, job.bOff + group * oc * patch, cols, colsOff, beta,
                    job.c, out);
        }
    }

    /** Per group: {@code cols = w_g^T x dy_g}, folded onto the zeroed image (or written there directly). */
    private void backwardDataImage(Job job, int image) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int dx = job.cOff + image * g.imageSize();
        boolean direct = VectorImages.patchesAreTheImage(g);
        if (!direct) {
            VectorElementwise.fill(g.imageSize(), job.c, dx, 0f);
        }
        for (int group = 0; group < g.groups(); group++) {
            int dy = job.aOff + image * g.outImageSize() + group * oc * pixels;
            int w = job.bOff + group * oc * patch;
            if (direct) {
                product(true, false, patch, pixels, oc, job.b, w, job.a, dy, 0f, job.c,
                        dx + group * g.groupChannels() * pixels);
            } else {
                float[] cols = columns(patch * pixels);
                product(true, false, patch, pixels, oc, job.b, w, job.a, dy, 0f, cols, 0);
                VectorImages.col2im(g, group, cols, 0, job.c, dx);
            }
        }
    }

    /**
     * Chunk p of the weight gradient: images {@code [from, to)} summed, the first overwriting, into
     * dw itself for chunk 0 and into partial p otherwise.
     */
    private void weightChunk(Job job, int p, int from, int to) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        float[] target = p == 0 ? job.c : job.partials;
        int targetOff = p == 0 ? job.cOff : (p - 1) * g.outChannels() * patch;
        for (int image = from; image < to; image++) {
            int in = job.bOff + image * g.imageSize();
            float beta = image == from ? 0f : 1f;
            for (int group = 0; group < g.groups(); group++) {
                float[] cols;
                int colsOff;
                if (VectorImages.patchesAreTheImage(g)) {
                    cols = job.b;
                    colsOff = in + group * g.groupChannels() * pixels;
                } else {
                    cols = columns(patch * pixels);
                    colsOff = 0;
                    VectorImages.im2col(g, group, job.b, in, cols, 0);
                }
                int dy = job.aOff + image * g.outImageSize() + group * oc * pixels;
                product(false, true, oc, patch, pixels, job.a, dy, cols, colsOff, beta, target,
                        targetOff + group * oc * patch);
            }
        }
    }

    /** {@code dbias[o] = sum over images of (sum over pixels of dy[image, o])}, images in order. */
    private static void biasGradient(Conv2dGeometry g, float[] dy, int dyOff, float[] dbias, int dbiasOff) {
        int pixels = g.outH() * g.outW();
        for (int o = 0; o < g.outChannels(); o++) {
            float sum = 0f;
            for (int image = 0; image < g.batch(); image++) {
                sum += VectorReductions.sum(dy, dyOff + image * g.outImageSize() + o * pixels, pixels);
            }
            dbias[dbiasOff + o] = sum;
        }
    }

    /** {@code C = op(A) op(B) + beta C} on the backend's GEMM, no epilogue. */
    private void product(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b,
            int bOff, float beta, float[] c, int cOff) {
        gemm.gemm(transA, transB, m, n, k, 1f, a, aOff, b, bOff, beta, c, cOff, null, 0, Activation.IDENTITY, 0f);
    }
}
