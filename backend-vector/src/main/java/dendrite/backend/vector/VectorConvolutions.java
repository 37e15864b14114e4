package dendrite.backend.vector;

import static dendrite.backend.vector.GemmKernel.NR;
import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.FMA;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.Conv2dGeometry;
import dendrite.tensor.op.PoolOp;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;

/**
 * Convolutions over a batch as im2col and packed GEMM, and pooling over a batch, split over the
 * backend's threads.
 *
 * <p><b>Algorithm.</b> The batch is cut into {@link #chunkImages chunks} of a few images, chosen
 * from the geometry alone. For each chunk and group, {@link VectorImages#im2col} unfolds the
 * chunk's patches side by side into one {@code [patchSize, images * outH * outW]} column matrix,
 * and each of the three products is one GEMM on {@link VectorGemm}:
 * <ul>
 *   <li>forward: {@code y_g [outC/g, images * pixels] = w_g [outC/g, patch] x cols}, copied out to
 *       NCHW with the bias added on the way;</li>
 *   <li>input gradient: the chunk's {@code dy_g} gathered into {@code [outC/g, images * pixels]},
 *       {@code cols = w_g^T x dy_g}, folded back onto each image with {@link VectorImages#col2im};</li>
 *   <li>weight gradient: {@code dw_g += dy_g x cols^T}, the inner dimension all of the chunk's
 *       pixels. Without padding the GEMM packs {@code cols^T}'s panels straight from the images
 *       ({@link Patches}); a patch of at most {@link #DOT_PATCH} taps (a first layer's 3 x 3) takes
 *       dot products along the pixels instead ({@link #dots}).</li>
 * </ul>
 * The weights are packed once per call for all chunks' products ({@link #packWeights}). A chunk of
 * one image needs no reordering (the GEMM reads and writes the image's own rows), and a 1 x 1
 * kernel with stride 1 and no padding no columns either (the image is its own column matrix).
 *
 * <p><b>Chunk size.</b> A chunk's column matrix is kept to about {@link #CHUNK_COLUMNS} floats,
 * so that with the product's packed panels it stays in a core's L2 (512 KiB and up): products of
 * a few images fill the GEMM's panels better than one image's (121 pixels on the preset CNN's
 * second layer), while one large product per many images, split over the threads, streams its
 * columns from L3 and ran slower (see "Convolution on the vector backend" in benchmarks/README.md).
 *
 * <p><b>Threads.</b> Chunks are shared out to the threads whole: a chunk's unfolding, product and
 * copies run on one thread, with its own buffers (a GEMM called inside a part runs on that part's
 * thread). Only when a single image's columns are very large ({@link #PARALLEL_COLUMNS}) do the
 * chunks run one after another on the caller, each GEMM splitting itself. A forward pass whose whole
 * batch is one chunk (a prediction of one image) is split by output channels instead
 * ({@link #runByRows}), each thread unfolding the images for itself. The weight gradient sums
 * over the batch: there the chunks are dealt, in order, into {@link #weightGroups groups} chosen
 * from the geometry alone; group 0 sums into dw, each other group into its own partial, and the
 * partials are added onto dw in group order. Every element is therefore computed by the same
 * operations in the same order on any number of threads: the same bits.
 *
 * <p><b>Memory.</b> Nothing is allocated per call once warm: each thread that runs a chunk keeps its
 * column, reorder and offset buffers, and each calling thread a {@link Job} (the arguments its parts
 * read, the packed weights and the weight gradient's partials), all grown to the largest size seen
 * and reused.
 */
final class VectorConvolutions {
    /** Floats of one group's column matrix a chunk aims at (384 KiB): see the class comment. */
    static final long CHUNK_COLUMNS = 96L << 10;
    /**
     * Largest column matrix (floats) of a single image a part may unfold while others do the same:
     * above it the chunks run one by one, with one buffer, and the GEMMs take the threads.
     */
    private static final long PARALLEL_COLUMNS = 1L << 21;
    /** Multiply-adds per part at the least: below twice this, one part. */
    private static final long GRAIN = 1L << 19;
    /** Window taps per part of a pooling at the least (each a load and a compare or add). */
    private static final long POOL_GRAIN = 1L << 16;
    /** The most groups the weight gradient's chunks are dealt into (divisible by 2, 3, 4 and 6 threads). */
    private static final int MAX_GROUPS = 12;
    /** The most floats all partial weight gradients may hold together. */
    private static final long PARTIALS = 1L << 21;
    /** Patches up to this size take the weight gradient as dot products ({@link #dots}), not a GEMM. */
    static final int DOT_PATCH = 16;

    private final Parallel parallel;
    private final VectorGemm gemm;
    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
    /** Calls so far, numbering each call's {@link Job#stamp}. */
    private final AtomicLong calls = new AtomicLong();
    /** How many times any buffer here was grown: constant in a steady loop (for tests). */
    private final AtomicInteger growths = new AtomicInteger();

    VectorConvolutions(Parallel parallel, VectorGemm gemm) {
        this.parallel = parallel;
        this.gemm = gemm;
    }

    /** How many times a column or reorder buffer or the partial weight gradients have been grown so far. */
    int workspaceGrowths() {
        return growths.get();
    }

    /** What a part does. */
    private enum Kind { FORWARD, FORWARD_ROWS, BACKWARD_DATA, BACKWARD_WEIGHTS, BIAS, POOL, POOL_BACKWARD }

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
        /** The input read: x, or dy for the input gradient and the weight gradient, dOut for pooling's. */
        float[] a;
        int aOff;
        /** The second input: w, or x for the weight gradient and pooling's gradient (null for pooling). */
        float[] b;
        int bOff;
        float[] bias;
        int biasOff;
        /** Whether the forward pass writes {@code max(0, y)}: a ReLU fused into its copy out. */
        boolean relu;
        /** The output: out, dx or dw. */
        float[] c;
        int cOff;
        /** Images per chunk. */
        int chunk;
        /** {@link Kind#FORWARD_ROWS}: output channels per part, a multiple of the GEMM's row panel. */
        int rowStep;
        /** This call's number among all calls of this engine, for a thread's {@link Buffers#unfoldedFor}. */
        long stamp;
        /** Parts, and the chunks (or planes) they divide. */
        int parts;
        int items;
        /** The weight gradient's partials: group p > 0 at {@code (p - 1) * dwSize}. */
        float[] partials = new float[0];
        /** Each group's weights packed once for all chunks' products ({@link VectorGemm#packA}), or none. */
        float[] packedW = new float[0];
        boolean wPacked;
        int packedWSize;
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
            this.relu = false;
            return this;
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

    /** A thread's buffers for the chunks it runs: the column matrix, and the product or gathered gradient. */
    private static final class Buffers {
        /** The {@link Job#stamp} of the call whose lone chunk {@link #cols} holds unfolded, or 0. */
        long unfoldedFor;
        float[] cols = new float[0];
        float[] mat = new float[0];
        final Patches patches = new Patches();
    }

    /**
     * A chunk's patches as the B of the weight gradient ({@code cols^T}: a row per pixel, a column
     * per tap), packed straight from the images ({@link VectorGemm.BPanels}): element (pixel, tap)
     * is {@code x[pixel[pixel] + tap[tap]]}, so a panel row is two gathers with one offset table.
     * The GEMM would otherwise gather the same panels out of an unfolded column matrix, which then
     * need not be written at all. Only without padding, where every tap lies in the image. (The
     * forward pass packs its panels with contiguous copies, and was faster unfolded than gathered.)
     */
    private static final class Patches implements VectorGemm.BPanels {
        /** The images; held only during a chunk's product. */
        float[] x;
        /** Per pixel of the chunk: where its window's first tap lies in x. */
        int[] pixel = new int[0];
        /** Per tap (channel, ky, kx) of the group: its offset from the window's first tap. */
        int[] tap = new int[0];

        @Override
        public void pack(int p0, int kb, int j0, int nb, float[] dst, int dstOff, int[] index) {
            float[] src = x;
            int kp = GemmKernel.depth(kb);
            for (int q = 0; q < nb; q += NR) {
                int width = Math.min(NR, nb - q);
                for (int j = 0; j < NR; j++) {
                    // Past the last column: a column of x again (the padding columns' products are dropped).
                    index[j] = tap[j0 + q + (j < width ? j : 0)];
                }
                int panel = dstOff + q * kp;
                for (int p = 0; p < kb; p++) {
                    int base = pixel[p0 + p];
                    int d = panel + p * NR;
                    for (int h = 0; h < NR; h += L) {
                        FloatVector.fromArray(F, src, base, index, h).intoArray(dst, d + h);
                    }
                }
                for (int p = kb; p < kp; p++) {
                    for (int h = 0; h < NR; h += L) {
                        FloatVector.zero(F).intoArray(dst, panel + p * NR + h);
                    }
                }
            }
        }
    }

    /**
     * Whether a chunk's weight gradient takes its patches straight from the images ({@link Patches}):
     * no padding, not a 1 x 1 image that is its own column matrix, and a product on packed panels.
     */
    private boolean gathersPatches(Conv2dGeometry g, int images, int m, int n, int k) {
        return g.padH() == 0 && g.padW() == 0 && !(images == 1 && VectorImages.patchesAreTheImage(g))
                && gemm.packsA(false, true, m, n, k);
    }

    /** Fills the thread's {@link Patches} for images {@code [first, first + images)} of x and one group. */
    private Patches patches(Conv2dGeometry g, Buffers ws, float[] x, int xOff, int first, int images, int group) {
        Patches pt = ws.patches;
        int ow = g.outW();
        int ld = images * g.outH() * ow;
        if (pt.pixel.length < ld) {
            pt.pixel = new int[ld];
            growths.incrementAndGet();
        }
        if (pt.tap.length < g.patchSize()) {
            pt.tap = new int[g.patchSize()];
            growths.incrementAndGet();
        }
        int w = g.width();
        int plane = g.height() * w;
        int j = 0;
        for (int i = 0; i < images; i++) {
            int origin = xOff + (first + i) * g.imageSize() + group * g.groupChannels() * plane;
            for (int oy = 0; oy < g.outH(); oy++) {
                int row = origin + oy * g.strideH() * w;
                for (int ox = 0; ox < ow; ox++) {
                    pt.pixel[j++] = row + ox * g.strideW();
                }
            }
        }
        int t = 0;
        for (int c = 0; c < g.groupChannels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    pt.tap[t++] = c * plane + ky * g.dilationH() * w + kx * g.dilationW();
                }
            }
        }
        pt.x = x;
        return pt;
    }

    private float[] cols(Buffers ws, long size) {
        if (ws.cols.length < size) {
            ws.cols = new float[Math.toIntExact(size)];
            growths.incrementAndGet();
        }
        return ws.cols;
    }

    private float[] mat(Buffers ws, long size) {
        if (ws.mat.length < size) {
            ws.mat = new float[Math.toIntExact(size)];
            growths.incrementAndGet();
        }
        return ws.mat;
    }

    // ------------------------------------------------------------------ entry points

    /** {@code out = conv(x, w) + bias}, or {@code max(0, conv(x, w) + bias)} with relu; bias may be null. */
    void conv2d(Conv2dGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff, boolean relu,
            float[] out, int outOff) {
        Job job = jobs.get().set(this, Kind.FORWARD, g, x, xOff, w, wOff, out, outOff);
        job.bias = bias;
        job.biasOff = biasOff;
        job.relu = relu;
        runOverChunks(job);
    }

    /** {@code dx} (overwritten) from {@code dy} and {@code w}. */
    void conv2dBackwardData(Conv2dGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        runOverChunks(jobs.get().set(this, Kind.BACKWARD_DATA, g, dy, dyOff, w, wOff, dx, dxOff));
    }

    /** {@code dw} and, unless null, {@code dbias} (both overwritten), summed over the batch. */
    void conv2dBackwardWeights(Conv2dGeometry g, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff,
            float[] dbias, int dbiasOff) {
        Job job = jobs.get().set(this, Kind.BACKWARD_WEIGHTS, g, dy, dyOff, x, xOff, dw, dwOff);
        int groups = weightGroups(g);
        int dwSize = g.outChannels() * g.patchSize();
        if (job.partials.length < (groups - 1) * dwSize) {
            job.partials = new float[(groups - 1) * dwSize];
            growths.incrementAndGet();
        }
        job.chunk = chunkImages(g);
        int chunks = ceilDiv(g.batch(), job.chunk);
        job.items = chunks;
        job.parts = groups;
        try {
            if (sequential(g)) {
                for (int p = 0; p < groups; p++) {
                    part(job, p);
                }
            } else {
                parallel.run(groups, job.part);
            }
            for (int p = 1; p < groups; p++) {
                VectorElementwise.binary(BinaryOp.ADD, dwSize, dw, dwOff, job.partials, (p - 1) * dwSize, dw, dwOff);
            }
            if (dbias != null) {
                // Each channel's sum on one thread, images in order: the same bits on any count.
                job.kind = Kind.BIAS;
                job.c = dbias;
                job.cOff = dbiasOff;
                job.items = g.outChannels();
                job.parts = Math.min(job.items, parallel.parts((long) g.batch() * g.outImageSize(), POOL_GRAIN));
                if (job.parts == 1) {
                    part(job, 0);
                } else {
                    parallel.run(job.parts, job.part);
                }
            }
        } finally {
            job.release();
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

    /** Floats of one image's column matrix for one group. */
    private static long imageColumns(Conv2dGeometry g) {
        return (long) g.patchSize() * g.outH() * g.outW();
    }

    /**
     * Images per chunk: as many as keep one group's column matrix within {@link #CHUNK_COLUMNS}
     * floats (at least one), then evened out so the chunks are of nearly equal size. From the
     * geometry alone, never the thread count: it decides the order of the weight gradient's sum.
     */
    static int chunkImages(Conv2dGeometry g) {
        int most = (int) Math.max(1, Math.min(g.batch(), CHUNK_COLUMNS / imageColumns(g)));
        return ceilDiv(g.batch(), ceilDiv(g.batch(), most));
    }

    /**
     * How many groups the weight gradient deals its chunks into: from the geometry alone, never the
     * thread count, since it decides the order of the sum over the batch. One when the work is
     * small; else up to {@link #MAX_GROUPS} and the number of chunks, as far as the partials fit in
     * {@link #PARTIALS} floats. Group p takes chunks {@code [chunks * p / groups, chunks * (p + 1) / groups)}.
     */
    static int weightGroups(Conv2dGeometry g) {
        int chunks = ceilDiv(g.batch(), chunkImages(g));
        if (chunks == 1 || g.batch() * imageWork(g) < 2 * GRAIN) {
            return 1;
        }
        long dwSize = (long) g.outChannels() * g.patchSize();
        return (int) Math.max(1, Math.min(Math.min(chunks, MAX_GROUPS), 1 + PARTIALS / dwSize));
    }

    /** Whether a single image's columns are so large that chunks run one by one and the GEMMs split themselves. */
    private static boolean sequential(Conv2dGeometry g) {
        return imageColumns(g) > PARALLEL_COLUMNS;
    }

    /** The forward pass and the input gradient: parts of whole chunks, claimed by the threads. */
    private void runOverChunks(Job job) {
        Conv2dGeometry g = job.g;
        job.chunk = chunkImages(g);
        int chunks = ceilDiv(g.batch(), job.chunk);
        job.items = chunks;
        if (splitsByRows(job, chunks)) {
            runByRows(job);
            return;
        }
        boolean split = !sequential(g) && parallel.parts(g.batch() * imageWork(g), GRAIN) > 1;
        job.parts = split ? chunks : 1;
        try {
            packWeights(job);
            if (job.parts == 1) {
                part(job, 0);
            } else {
                parallel.run(job.parts, job.part);
            }
        } finally {
            job.release();
        }
    }

    /**
     * Whether a forward pass whose whole batch is one chunk (one image, say: a prediction) is split
     * by output channels, {@link #runByRows}, rather than left to its GEMM to split: from the
     * geometry alone (never the thread count, so the sums and their bits are the same on any), when
     * the product is worth two parts, and the whole product and each part run the GEMM's packed path.
     * The parts' rows then start on the whole product's row panels, so every output is the same sum
     * in the same order as without the split: the same bits. (A part of 12 channels would take the
     * in-place path, which adds a long patch's products in another order.)
     */
    private boolean splitsByRows(Job job, int chunks) {
        Conv2dGeometry g = job.g;
        if (job.kind != Kind.FORWARD || chunks != 1 || g.groups() != 1 || sequential(g)
                || g.batch() * imageWork(g) < 2 * GRAIN) {
            return false;
        }
        int oc = g.outChannels();
        int n = g.batch() * g.outH() * g.outW();
        int step = rowStep(oc);
        int last = oc - (ceilDiv(oc, step) - 1) * step;
        return oc > step && gemm.packsA(false, false, oc, n, g.patchSize())
                && gemm.packsA(false, false, last, n, g.patchSize());
    }

    /** The output channels of each part but the last in {@link #runByRows}: half, rounded up to the GEMM's row panels. */
    private static int rowStep(int outChannels) {
        return ceilDiv(ceilDiv(outChannels, 2), GemmKernel.PMR) * GemmKernel.PMR;
    }

    /**
     * The lone chunk's forward pass in two parts of output channels, {@link #forwardRows}: each
     * thread unfolds the images itself and writes its own channels. Split by columns, as the GEMM
     * splits itself, the other thread read the column matrix this one had just written, and wrote
     * half of every channel's row that this one then read back for the bias: cache lines moved from
     * core to core on every call, which made a prediction slower on two threads than on one.
     */
    private void runByRows(Job job) {
        job.kind = Kind.FORWARD_ROWS;
        job.rowStep = rowStep(job.g.outChannels());
        job.parts = ceilDiv(job.g.outChannels(), job.rowStep);
        job.stamp = calls.incrementAndGet();
        try {
            parallel.run(job.parts, job.part);
        } finally {
            job.release();
        }
    }

    /**
     * Part p of {@link #runByRows}: output channels {@code [p rowStep, (p + 1) rowStep)} of all the
     * images, from the images unfolded by this thread (once per call, whichever parts it runs).
     */
    private void forwardRows(Job job, Buffers ws, int p) {
        Conv2dGeometry g = job.g;
        int images = g.batch();
        int pixels = g.outH() * g.outW();
        int ld = images * pixels;
        int patch = g.patchSize();
        int r0 = p * job.rowStep;
        int rows = Math.min(job.rowStep, g.outChannels() - r0);
        float[] cols;
        if (images == 1 && VectorImages.patchesAreTheImage(g)) {
            cols = job.a;
        } else {
            if (ws.unfoldedFor != job.stamp) {
                unfold(g, ws, job.a, job.aOff, 0, images, 0);
                ws.unfoldedFor = job.stamp;
            }
            cols = ws.cols;
        }
        int colsOff = imageColumnsOffset(g, job.aOff, 0, images, 0);
        float[] c = images == 1 ? job.c : mat(ws, (long) rows * ld);
        int cOff = images == 1 ? job.cOff + r0 * pixels : 0;
        product(false, false, rows, ld, patch, job.b, job.bOff + r0 * patch, cols, colsOff, 0f, c, cOff);
        copyOut(job, c, cOff, ld, r0, rows, 0, images);
    }

    /**
     * A chunk's product rows {@code [0, rows)} (channels from {@code channel}) copied to NCHW with
     * the bias added and a fused ReLU, or for one image done in place.
     */
    private static void copyOut(Job job, float[] c, int cOff, int ld, int channel, int rows, int first, int images) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        for (int i = 0; i < images; i++) {
            int o = job.cOff + (first + i) * g.outImageSize() + channel * pixels;
            for (int r = 0; r < rows; r++) {
                int src = cOff + r * ld + i * pixels;
                if (job.bias != null || job.relu) {
                    float value = job.bias == null ? 0f : job.bias[job.biasOff + channel + r];
                    if (job.relu) {
                        copyAddingRelu(pixels, c, src, value, job.c, o + r * pixels);
                    } else {
                        copyAdding(pixels, c, src, value, job.c, o + r * pixels);
                    }
                } else if (images > 1) {
                    System.arraycopy(c, src, job.c, o + r * pixels, pixels);
                }
            }
        }
    }

    /**
     * Packs each group's weights once for the whole call when the chunks' products run on packed
     * panels: {@code w_g} for the forward pass, {@code w_g^T} for the input gradient. Every chunk's
     * GEMM would otherwise pack the same panels again.
     */
    private void packWeights(Job job) {
        Conv2dGeometry g = job.g;
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int n = job.chunk * g.outH() * g.outW();
        boolean forward = job.kind == Kind.FORWARD;
        int m = forward ? oc : patch;
        int k = forward ? patch : oc;
        job.wPacked = gemm.packsA(!forward, false, m, n, k);
        if (!job.wPacked) {
            return;
        }
        job.packedWSize = gemm.packedASize(m, k);
        long size = (long) job.packedWSize * g.groups();
        if (job.packedW.length < size) {
            job.packedW = new float[Math.toIntExact(size)];
            growths.incrementAndGet();
        }
        for (int group = 0; group < g.groups(); group++) {
            gemm.packA(!forward, m, k, job.b, job.bOff + group * oc * patch, job.packedW, group * job.packedWSize);
        }
    }

    /**
     * {@code C = op(w_g) B} for one chunk: on the weights packed by {@link #packWeights} when the
     * chunk's product runs on packed panels (a last, smaller chunk may not), else on w itself.
     */
    private void weightProduct(Job job, boolean transA, int group, int m, int n, int k, float[] b, int bOff,
            float[] c, int cOff) {
        if (job.wPacked && gemm.packsA(transA, false, m, n, k)) {
            gemm.gemmPackedA(false, m, n, k, job.packedW, group * job.packedWSize, b, bOff, 0f, c, cOff);
        } else {
            Conv2dGeometry g = job.g;
            product(transA, false, m, n, k, job.b, job.bOff + group * g.groupOutChannels() * g.patchSize(), b, bOff,
                    0f, c, cOff);
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

    /** Part p of a job: its chunks (in order), its channels of the bias gradient, or its range of planes. */
    private void part(Job job, int p) {
        switch (job.kind) {
            case POOL, POOL_BACKWARD -> {
                int from = (int) ((long) job.items * p / job.parts);
                int to = (int) ((long) job.items * (p + 1) / job.parts);
                planes(job, from, to);
            }
            case FORWARD_ROWS -> forwardRows(job, buffers.get(), p);
            case BIAS -> {
                int from = (int) ((long) job.items * p / job.parts);
                int to = (int) ((long) job.items * (p + 1) / job.parts);
                biasGradient(job.g, job.a, job.aOff, from, to, job.c, job.cOff);
            }
            default -> {
                // Contiguous, nearly equal ranges of chunks (a chunk each, or all, outside the weight gradient).
                Buffers ws = buffers.get();
                int from = (int) ((long) job.items * p / job.parts);
                int to = (int) ((long) job.items * (p + 1) / job.parts);
                for (int chunk = from; chunk < to; chunk++) {
                    int first = chunk * job.chunk;
                    int images = Math.min(job.chunk, job.g.batch() - first);
                    switch (job.kind) {
                        case FORWARD -> forwardChunk(job, ws, first, images);
                        case BACKWARD_DATA -> backwardDataChunk(job, ws, first, images);
                        default -> weightChunk(job, ws, p, chunk == from, first, images);
                    }
                }
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

    // ------------------------------------------------------------------ one chunk

    /**
     * The chunk's column matrix for one group, unfolded from x into the thread's buffer; or x itself
     * for one image with a 1 x 1 kernel (the caller then reads it at {@link #imageColumnsOffset}).
     */
    private float[] unfold(Conv2dGeometry g, Buffers ws, float[] x, int xOff, int first, int images, int group) {
        if (images == 1 && VectorImages.patchesAreTheImage(g)) {
            return x;
        }
        int pixels = g.outH() * g.outW();
        int ld = images * pixels;
        float[] cols = cols(ws, (long) g.patchSize() * ld);
        for (int i = 0; i < images; i++) {
            VectorImages.im2col(g, group, x, xOff + (first + i) * g.imageSize(), cols, i * pixels, ld);
        }
        return cols;
    }

    /** Where {@link #unfold}'s matrix starts: in x for an image that is its own, else at 0. */
    private static int imageColumnsOffset(Conv2dGeometry g, int xOff, int first, int images, int group) {
        return images == 1 && VectorImages.patchesAreTheImage(g)
                ? xOff + first * g.imageSize() + group * g.groupChannels() * g.outH() * g.outW() : 0;
    }

    /**
     * The chunk's output gradient for one group as one {@code [outC/g, images * pixels]} matrix: dy
     * itself for one image (the caller reads it at {@link #gradientOffset}), else gathered into the
     * thread's reorder buffer.
     */
    private float[] gather(Conv2dGeometry g, Buffers ws, float[] dy, int dyOff, int first, int images, int group) {
        if (images == 1) {
            return dy;
        }
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int ld = images * pixels;
        float[] mat = mat(ws, (long) oc * ld);
        for (int i = 0; i < images; i++) {
            int src = dyOff + (first + i) * g.outImageSize() + group * oc * pixels;
            for (int r = 0; r < oc; r++) {
                System.arraycopy(dy, src + r * pixels, mat, r * ld + i * pixels, pixels);
            }
        }
        return mat;
    }

    /** Where {@link #gather}'s matrix starts: in dy for one image, else at 0. */
    private static int gradientOffset(Conv2dGeometry g, int dyOff, int first, int images, int group) {
        return images == 1 ? dyOff + first * g.outImageSize() + group * g.groupOutChannels() * g.outH() * g.outW() : 0;
    }

    /**
     * Per group: unfold, multiply, then copy to NCHW adding the bias and applying a fused ReLU (one
     * image: multiply into place and do both there).
     */
    private void forwardChunk(Job job, Buffers ws, int first, int images) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int ld = images * pixels;
        for (int group = 0; group < g.groups(); group++) {
            int out = job.cOff + first * g.outImageSize() + group * oc * pixels;
            float[] c = images == 1 ? job.c : mat(ws, (long) oc * ld);
            int cOff = images == 1 ? out : 0;
            float[] cols = unfold(g, ws, job.a, job.aOff, first, images, group);
            int colsOff = imageColumnsOffset(g, job.aOff, first, images, group);
            weightProduct(job, false, group, oc, ld, patch, cols, colsOff, c, cOff);
            copyOut(job, c, cOff, ld, group * oc, oc, first, images);
        }
    }

    /** Per group: {@code cols = w_g^T x dy_g}, folded onto the zeroed images (or written there directly). */
    private void backwardDataChunk(Job job, Buffers ws, int first, int images) {
        Conv2dGeometry g = job.g;
        int pixels = g.outH() * g.outW();
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int ld = images * pixels;
        boolean direct = images == 1 && VectorImages.patchesAreTheImage(g);
        if (!direct) {
            VectorElementwise.fill(images * g.imageSize(), job.c, job.cOff + first * g.imageSize(), 0f);
        }
        for (int group = 0; group < g.groups(); group++) {
            float[] grad = gather(g, ws, job.a, job.aOff, first, images, group);
            int gradOff = gradientOffset(g, job.aOff, first, images, group);
            if (direct) {
                // Every channel of every group is written: no zeroing, no folding.
                weightProduct(job, true, group, patch, ld, oc, grad, gradOff, job.c,
                        job.cOff + first * g.imageSize() + group * g.groupChannels() * pixels);
            } else {
                float[] cols = cols(ws, (long) patch * ld);
                weightProduct(job, true, group, patch, ld, oc, grad, gradOff, cols, 0);
                for (int i = 0; i < images; i++) {
                    VectorImages.col2im(g, group, cols, i * pixels, ld, job.c, job.cOff + (first + i) * g.imageSize());
                }
            }
        }
    }

    /**
     * One chunk of group p of the weight gradient: {@code dw_g += dy_g x cols^T} into dw itself for
     * group 0 and into partial p otherwise, the group's first chunk overwriting.
     */
    private void weightChunk(Job job, Buffers ws, int p, boolean firstOfGroup, int first, int images) {
        Conv2dGeometry g = job.g;
        int oc = g.groupOutChannels();
        int patch = g.patchSize();
        int ld = images * g.outH() * g.outW();
        float[] target = p == 0 ? job.c : job.partials;
        int targetOff = p == 0 ? job.cOff : (p - 1) * g.outChannels() * patch;
        float beta = firstOfGroup ? 0f : 1f;
        for (int group = 0; group < g.groups(); group++) {
            float[] grad = gather(g, ws, job.a, job.aOff, first, images, group);
            int gradOff = gradientOffset(g, job.aOff, first, images, group);
            if (patch > DOT_PATCH && gathersPatches(g, images, oc, patch, ld)) {
                Patches pt = patches(g, ws, job.b, job.bOff, first, images, group);
                try {
                    gemm.gemmPanels(false, oc, patch, ld, grad, gradOff, null, 0, pt, beta, target,
                            targetOff + group * oc * patch);
                } finally {
                    pt.x = null;
                }
                continue;
            }
            float[] cols = unfold(g, ws, job.b, job.bOff, first, images, group);
            int colsOff = imageColumnsOffset(g, job.bOff, first, images, group);
            if (patch <= DOT_PATCH) {
                dots(oc, patch, ld, grad, gradOff, cols, colsOff, !firstOfGroup, target, targetOff + group * oc * patch);
            } else {
                product(false, true, oc, patch, ld, grad, gradOff, cols, colsOff, beta, target,
                        targetOff + group * oc * patch);
            }
        }
    }

    /**
     * {@code c[o, j] = (add ? c[o, j] : 0) + sum over p of a[o, p] b[j, p]} for o < m, j < n, rows k
     * floats long: the weight gradient as dot products along the chunk's pixels, for a patch of at
     * most {@link #DOT_PATCH} (a first layer's 3 x 3 x 1 = 9). The GEMM would read such a transposed
     * B through gathers into panels of 2 vectors' width, most of them padding; here each row is
     * read as it lies, two rows of a by four of b at a time. Each
     * sum runs along its lanes in order, then {@link Simd#sumLanes}, then the tail: the same bits
     * whichever block computes it.
     */
    static void dots(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, boolean add, float[] c, int cOff) {
        for (int o = 0; o < m; o += 2) {
            for (int j = 0; j < n; j += 4) {
                if (o + 2 <= m && j + 4 <= n) {
                    dot2x4(k, a, aOff + o * k, b, bOff + j * k, add, c, cOff + o * n + j, n);
                } else {
                    for (int r = o; r < Math.min(m, o + 2); r++) {
                        for (int q = j; q < Math.min(n, j + 4); q++) {
                            float v = dot(k, a, aOff + r * k, b, bOff + q * k);
                            int at = cOff + r * n + q;
                            c[at] = add ? c[at] + v : v;
                        }
                    }
                }
            }
        }
    }

    /** Rows a0, a0 + k against rows b0 .. b0 + 3k: eight dot products into c (rows ldc apart). */
    private static void dot2x4(int k, float[] a, int a0, float[] b, int b0, boolean add, float[] c, int c0, int ldc) {
        FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F);
        FloatVector s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F);
        FloatVector s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
        int a1 = a0 + k;
        int b1 = b0 + k;
        int b2 = b1 + k;
        int b3 = b2 + k;
        int kv = k / L * L;
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(F, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(F, a, a1 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            s00 = FMA ? x0.fma(y, s00) : x0.mul(y).add(s00);
            s10 = FMA ? x1.fma(y, s10) : x1.mul(y).add(s10);
            y = FloatVector.fromArray(F, b, b1 + p);
            s01 = FMA ? x0.fma(y, s01) : x0.mul(y).add(s01);
            s11 = FMA ? x1.fma(y, s11) : x1.mul(y).add(s11);
            y = FloatVector.fromArray(F, b, b2 + p);
            s02 = FMA ? x0.fma(y, s02) : x0.mul(y).add(s02);
            s12 = FMA ? x1.fma(y, s12) : x1.mul(y).add(s12);
            y = FloatVector.fromArray(F, b, b3 + p);
            s03 = FMA ? x0.fma(y, s03) : x0.mul(y).add(s03);
            s13 = FMA ? x1.fma(y, s13) : x1.mul(y).add(s13);
        }
        // The eight accumulators go to memory here and are summed by a method that takes no vector:
        // a vector handed to a method that C2 leaves out of line is boxed (a float[] per sum, 3.8 KB a
        // step of a small CNN's weight gradient in a full nn-core run with 512-bit vectors), and one call
        // for the eight sums keeps this kernel small where C2 inlines it into the convolution's parts.
        float[] lanes = DOT_LANES.get();
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s02.intoArray(lanes, 2 * L);
        s03.intoArray(lanes, 3 * L);
        s10.intoArray(lanes, 4 * L);
        s11.intoArray(lanes, 5 * L);
        s12.intoArray(lanes, 6 * L);
        s13.intoArray(lanes, 7 * L);
        storeSums(k, kv, lanes, a, a0, a1, b, b0, add, c, c0, ldc);
    }

    /** Eight accumulators of L lanes each, for {@link #dot2x4}. */
    private static final ThreadLocal<float[]> DOT_LANES = ThreadLocal.withInitial(() -> new float[8 * L]);

    /**
     * {@link #dot2x4}'s eight results: accumulator {@code 4 r + q} (row r of a against row q of b) at
     * {@code lanes[(4 r + q) L]}, summed in {@link Simd#sumLanes}'s tree, plus the scalar tail.
     */
    private static void storeSums(int k, int kv, float[] lanes, float[] a, int a0, int a1, float[] b, int b0,
            boolean add, float[] c, int c0, int ldc) {
        for (int q = 0; q < 4; q++) {
            store(Simd.sumLanes(lanes, q * L) + tail(k, kv, a, a0, b, b0 + q * k), add, c, c0 + q);
            store(Simd.sumLanes(lanes, (4 + q) * L) + tail(k, kv, a, a1, b, b0 + q * k), add, c, c0 + ldc + q);
        }
    }

    /** One dot product as {@link #dot2x4} computes each of its eight. */
    private static float dot(int k, float[] a, int a0, float[] b, int b0) {
        FloatVector s = FloatVector.zero(F);
        int kv = k / L * L;
        for (int p = 0; p < kv; p += L) {
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            FloatVector y = FloatVector.fromArray(F, b, b0 + p);
            s = FMA ? x.fma(y, s) : x.mul(y).add(s);
        }
        float[] lanes = Simd.lanes();
        s.intoArray(lanes, 0);
        return Simd.sumLanes(lanes) + tail(k, kv, a, a0, b, b0);
    }

    /** The scalar end of a dot product, {@code p} from kv to k. */
    private static float tail(int k, int kv, float[] a, int a0, float[] b, int b0) {
        float t = 0f;
        for (int p = kv; p < k; p++) {
            t = Math.fma(a[a0 + p], b[b0 + p], t);
        }
        return t;
    }

    private static void store(float v, boolean add, float[] c, int at) {
        c[at] = add ? c[at] + v : v;
    }

    // ------------------------------------------------------------------ small loops

    /**
     * {@code dst[d + i] = src[s + i] + value} for i in [0, n), the last vector moved back to end at
     * n rather than finishing on scalars. Not for overlapping src and dst, unless the same range.
     */
    private static void copyAdding(int n, float[] src, int s, float value, float[] dst, int d) {
        if (n < L) {
            for (int i = 0; i < n; i++) {
                dst[d + i] = src[s + i] + value;
            }
            return;
        }
        if (src == dst && s == d) {
            // In place: the moved-back vector must not add twice.
            int i = 0;
            for (; i <= n - L; i += L) {
                FloatVector.fromArray(F, src, s + i).add(value).intoArray(dst, d + i);
            }
            for (; i < n; i++) {
                dst[d + i] = src[s + i] + value;
            }
            return;
        }
        for (int i = 0; i < n - L; i += L) {
            FloatVector.fromArray(F, src, s + i).add(value).intoArray(dst, d + i);
        }
        FloatVector.fromArray(F, src, s + n - L).add(value).intoArray(dst, d + n - L);
    }

    /**
     * {@code dst = max(0, src + value)}, the same sum as {@link #copyAdding} and the same maximum as
     * the vector backend's ReLU; may run in place (no element is read after it is written: the last
     * few are done one by one rather than by a moved-back vector).
     */
    private static void copyAddingRelu(int n, float[] src, int s, float value, float[] dst, int d) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, src, s + i).add(value).max(0f).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = Math.max(src[s + i] + value, 0f);
        }
    }

    /**
     * {@code dbias[o] = sum over images of (sum over pixels of dy[image, o])}, images in order, for
     * channels o in {@code [from, to)}.
     */
    private static void biasGradient(Conv2dGeometry g, float[] dy, int dyOff, int from, int to, float[] dbias,
            int dbiasOff) {
        int pixels = g.outH() * g.outW();
        for (int o = from; o < to; o++) {
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
