package dendrite.backend.vector;

import static dendrite.backend.vector.GemmKernel.MR;
import static dendrite.backend.vector.GemmKernel.NR;
import static dendrite.backend.vector.GemmKernel.PMR;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Activation;
import jdk.incubator.vector.FloatVector;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * {@code C = alpha * op(A) op(B) + beta * C}, blocked for the caches and spread over threads, in
 * the GotoBLAS / BLIS scheme:
 *
 * <pre>
 * for each thread's block of C (split along n, or along m when n is narrow):
 *   for jc in steps of NC (columns):
 *     for pc in steps of KC (the inner dimension):
 *       pack B[pc.., jc..] into KC x NR panels           (one panel stays in L1 below)
 *       for ic in steps of MC (rows):
 *         pack A[ic.., pc..] into PMR x KC panels         (the block stays in L2)
 *         for each NR-panel of B, for each PMR-panel of A: micro-kernel, then store
 * </pre>
 * (For C 2048 or more wide the last two loops swap where L2 holds at least 1 MiB and L1 48 KiB; see
 * {@code blockPacked}. With 6-row panels a row-major A is mostly read where it lies instead of
 * packed; see {@code aInPlace}. Where C is larger than L2, each K block but the last keeps its
 * partial sums in a buffer in tile order, which the hardware prefetches, rather than in C; see
 * {@code packedC}. That buffer, up to 16 MiB, stays with the calling thread like the packing buffers.)
 *
 * <p>Split over threads, a product of at least {@link #SHARED_WORK} multiply-adds runs the K blocks
 * as shared passes ({@code passes}): B's panels packed once per pass, and each pass cut into small
 * parts, a contiguous range of them (its own columns, where C is wide enough) for each thread, which
 * a thread that finishes early helps to finish: a static split with stealing, so that one thread
 * slowed by another process does not hold up the product. Smaller ones give each thread one share
 * of C (by columns, or by rows when C is narrow).
 *
 * KC is the same on every machine ({@link #KC}): it decides the order in which each output
 * element's products are added, so it alone must not depend on the CPU. MC (an A block fills a
 * sixteenth of L2) and the width of the B blocks come from the caches: they decide only which pass
 * and which thread computes an element, never the order of its sum. Full tiles with a plain store (alpha 1, no bias on that pass) go straight from
 * the registers to C; the others through a small tile buffer and {@link GemmKernel#merge}.
 * Packing reads A and B through their strides, so all four transpose combinations run the same
 * code. Small problems, and those with at most two row panels, skip packing when B is not
 * transposed (the kernel reads the matrices in place, but for the 12-row kernel's A panel and, for a
 * row-major A of 64 rows or more with AVX-512, each 64 columns of B, {@code blockFourRows}); so does a
 * transposed B at most 16 columns wide (a 10-class layer's forward pass), which with AVX-512 on AMD
 * runs as its transpose ({@code blockNarrowSwapped}); problems under twice
 * {@link #PARALLEL_GRAIN} run on one thread. Each output element is summed in the same order whatever the thread count.
 *
 * <p>The epilogue of {@link dendrite.tensor.Backend#linear} is fused: the bias is added in the
 * first store of a tile and the activation applied to the tile after its last, while it is in L1.
 */
final class VectorGemm {
    /**
     * Multiply-adds per thread at the least (about 3 microseconds of work): below twice this, one
     * thread, since handing work over costs about a microsecond even to a spinning worker.
     */
    private static final long PARALLEL_GRAIN = 1L << 19;
    /**
     * Multiply-adds from which a packed product split over threads runs in shared passes
     * ({@link #passes}): below it, each thread packs its own share of B and A, as for one thread.
     * Below this size (every product of a dense layer of a few hundred units at batch 128) the
     * passes cost more than their stealing saves: a part that one thread steals from the other, or
     * a B panel that the other packed, moves the data between the cores, which takes longest when
     * the two vCPUs sit far apart, and a product this small has too few parts to make up for it
     * (benchmarks/README.md, "Shared passes only for large products"). That was measured on AVX-512
     * (AMD Zen 4); with AVX2 (AMD Zen 3) the dense layers' products of 2^22 to 2^25 multiply-adds ran
     * faster in shared passes, the first layer's forward pass most (benchmarks/README.md, "GEMM on an
     * AMD EPYC Zen 3 again"), so there they start at 2^22, as before. Which thread computes an
     * element never changes its sum, so the threshold cannot change a bit.
     */
    static final long SHARED_WORK = L >= 16 ? 1L << 25 : 1L << 22;
    /**
     * {@value #SHARED_PASSES_PROPERTY}: {@code false} gives every product split over threads one share
     * of C per thread, however large, for measuring the passes against that on a CPU; which thread
     * computes an element never changes its sum, so it cannot change a bit.
     */
    static final String SHARED_PASSES_PROPERTY = "dendrite.gemm.sharedPasses";
    /** Whether products of {@link #SHARED_WORK} or more run in shared passes (see {@link #SHARED_PASSES_PROPERTY}). */
    private static final boolean SHARED_PASSES = !"false".equals(System.getProperty(SHARED_PASSES_PROPERTY));
    /**
     * Multiply-adds from which one pass (one K block) of a shared product is worth handing to the
     * threads: a product with a long inner dimension and a small C (a convolution's weight gradient,
     * k in the tens of thousands) would otherwise wait for the threads at hundreds of passes.
     */
    static final long SHARED_PASS_WORK = 1L << 21;
    /** Multiply-adds per part of a shared pass at the least: a part is a few microseconds of work. */
    private static final long PART_WORK = 1L << 18;
    /**
     * Parts per thread in each shared pass: enough that a thread slowed by another process (the
     * other hyperthread of its core busy, a core shared with another tenant) leaves its last parts to
     * the others instead of holding every pass up.
     */
    private static final int PARTS_PER_THREAD = 4;
    /** Column panels a part of a shared pass takes at the least when C is split by columns too. */
    private static final int MIN_CHUNK_PANELS = 4;
    /**
     * B panels a shared pass packs at once ({@link #panel}) where B's rows are a page or more apart
     * ({@link #panelGroup}): a panel alone then reads one cache line from each of kb pages, which
     * no prefetcher follows, so from memory the reads wait one line at a time; eight panels side by
     * side read eight adjacent lines of each row.
     */
    private static final int PANEL_GROUP = 8;
    /** Bytes from which B's rows are a page apart (see {@link #PANEL_GROUP}). */
    private static final int PAGE = 4096;
    /**
     * Width of C (in floats) from which row panels are the outer loop, where L2 and L1 are at least
     * {@link #ROWS_OUTER_L2} and {@link #ROWS_OUTER_L1}; see blockPacked.
     */
    private static final int WIDE_C = 2048;
    /**
     * L2 bytes from which wide products walk row panels outer, where L1 holds at least
     * {@link #ROWS_OUTER_L1}. With rows outer a B block must stay in half of L2; with 512 KiB that is
     * 176 columns, so A is packed again for every 176 columns of C (twelve times at N = 2048), and
     * on AMD Zen 3 the column order was clearly faster there (benchmarks/README.md).
     */
    private static final int ROWS_OUTER_L2 = 1 << 20;
    /**
     * L1 bytes from which wide products walk row panels outer (with {@link #ROWS_OUTER_L2}): the
     * order was chosen on a Zen 5 (48 KiB L1, 1 MiB L2); on a Zen 4, with the same L2 but 32 KiB of
     * L1, the columns outer were clearly faster at N = 2048 (benchmarks/README.md).
     */
    private static final int ROWS_OUTER_L1 = 48 << 10;
    /**
     * Widest transposed B that is packed whole into the in-place path's edge panel (a 10-class layer's
     * forward pass), A read where it is. A constant rather than the vector length, so that the path, and
     * with it the order of each element's sum (one block in place, K blocks packed), is the same with
     * 256- and 512-bit vectors.
     */
    private static final int NARROW_B = Math.min(NR, 16);
    /** Columns of {@link GemmKernel#multiplyFourRows}'s tile: two panels of NR. */
    private static final int WIDE = 2 * NR;
    /**
     * Four-row panels from which the in-place path reads B packed ({@link #blockFourRows}): with fewer,
     * each packed panel would serve too few tiles to pay for its copy.
     */
    private static final int FOUR_ROW_PANELS = 16;
    /** Whether {@link #blockFourRows} may run: with AVX-512 (see {@link #takesFourRowTiles}). */
    private static final boolean FOUR_ROWS_IN_PLACE = L >= 16;
    /** Rows of A from which a narrow transposed B runs swapped ({@link #blockNarrowSwapped}): one block of NR. */
    private static final int SWAP_ROWS = NR;
    /** Below this many multiply-adds, no packing: the copies would cost more than they save. */
    private static final long SMALL = 48L * 48 * 48;
    /**
     * Up to this inner dimension, no packing either: each packed panel would serve a handful of
     * multiply-adds per element (the input gradient of a 10-class layer: k = 10).
     */
    private static final int SMALL_K = 32;
    /**
     * {@value #PACK_ALL_A_PROPERTY}: {@code true} packs every row-major A as before {@link #aInPlace},
     * for measuring; reading A in place never changes a bit.
     */
    static final String PACK_ALL_A_PROPERTY = "dendrite.gemm.packAllA";
    /**
     * Whether the packed path may read a row-major A in place (see {@link #aInPlace}): with 6-row
     * panels (AVX2), the only kernel measured in this form; not with {@value #PACK_ALL_A_PROPERTY}.
     */
    private static final boolean ROW_MAJOR_A_IN_PLACE = PMR == 6 && !Boolean.getBoolean(PACK_ALL_A_PROPERTY);
    /**
     * {@value #PACKED_C_PROPERTY}: {@code false} keeps every product's partial sums in C itself, for
     * measuring ({@link #packedC}); where they are kept never changes a bit.
     */
    static final String PACKED_C_PROPERTY = "dendrite.gemm.packedC";
    /**
     * The most floats of C whose partial sums are carried between K blocks in tile order
     * ({@link #packedC}): the buffer stays with the calling thread for its next product, so a larger C
     * (2048 x 2048 is this size) keeps its sums in C rather than hold more memory.
     */
    private static final long PACKED_C_MAX = 1L << 22;

    /**
     * The depth of a K block, on every machine, so that the packed and in-place paths add each
     * element's products in the same order on every CPU: a B panel of KC x NR floats is about two
     * thirds of a 32 KiB L1 with AVX2's 16-float panels (43 KiB with AVX-512's 32-float ones, which
     * then stream from L2 on a 32 KiB L1). VectorGemmBitsTest pins the order.
     */
    static final int KC = 336;

    private final Parallel parallel;
    private final int kc;
    private final int mc;
    private final int nc;
    private final int ncRowsOuter;
    /** Width of C from which row panels are the outer loop (never, with a small L2). */
    private final int rowsOuterFrom;
    /** Whether the transposing packs (a transposed B, a row-major A) use vector gathers (see {@link #packsByGathers}). */
    private final boolean gathers;
    /** Whether large products carry C's partial sums between K blocks in tile order ({@link #packedC}). */
    private final boolean packedC;
    /** Whether a narrow transposed B runs swapped ({@link #blockNarrowSwapped}). */
    private final boolean narrowSwapped;
    /** Bytes of L1 data cache per core. */
    private final int l1;
    /** Bytes of L2 cache per core. */
    private final int l2;
    private final ThreadLocal<Workspace> workspaces;

    /** Per-thread buffers for packed panels and the tile, grown on demand and reused. */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        /** C's partial sums between K blocks, in tile order (see {@link #packedC}). */
        float[] c = new float[0];
        final float[] tile = new float[Math.max(MR, PMR) * NR];
        final float[] dots = new float[GemmDot.OUT_SIZE];
        final float[] dotLanes = new float[GemmDot.ACC_SIZE];
        /** Gather offsets for packing a transposed B. */
        final int[] gather = new int[L];
        /** Scratch for a {@link BPanels} packer: one panel's offsets. */
        final int[] panelIndex = new int[NR];
        /** Gather offsets for packing a row-major A. */
        final int[] gatherA = new int[GemmPacking.A_GATHERS * L];
        /** This thread's GEMM arguments, refilled by every call it makes (see {@link Operands}). */
        final Operands ops = new Operands();
        /**
         * Runs part p of {@link #ops}; one object per thread, so handing a product to the pool allocates
         * nothing. It reaches the VectorGemm through ops, set only during a call: a workspace that held
         * its VectorGemm would keep the ThreadLocal's key alive from its own value, and every backend
         * ever used by a long-lived thread (with its packing buffers) would stay in that thread's map.
         */
        final IntConsumer part = p -> ops.gemm.part(ops, p);
        /** This thread's batched products, when it shares a batch out (see {@link #batchedGemm}). */
        final BatchJob batch = new BatchJob();
        /** Runs home share h of a shared pass of {@link #ops}, then helps the others (see {@link #passes}). */
        final IntConsumer passShare = h -> ops.gemm.passShare(ops, h);
        /** Shared passes this thread has led; numbers the passes for {@link #panelStates}. */
        long passes;
        /**
         * One state per B panel of the passes this thread leads: {@code 2 * pass + 1} while a thread
         * packs it in that pass, {@code 2 * pass + 2} once packed; anything less means not yet.
         */
        AtomicLongArray panelStates = new AtomicLongArray(0);

        /** The next unclaimed part of each home share of the pass in progress (see {@link #passes}). */
        AtomicIntegerArray shareNext = new AtomicIntegerArray(0);

        AtomicIntegerArray shareNext(int shares) {
            if (shareNext.length() < shares) {
                shareNext = new AtomicIntegerArray(shares);
            }
            return shareNext;
        }

        AtomicLongArray panelStates(int panels) {
            if (panelStates.length() < panels) {
                panelStates = new AtomicLongArray(panels);
                passes = 0;
            }
            return panelStates;
        }

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] c(int size) {
            if (c.length < size) {
                c = new float[size];
            }
            return c;
        }

        /** A buffer for packed B panels of {@code size} floats, and the packed kernel's read-ahead past them. */
        float[] b(int size) {
            if (b.length < size + GemmKernel.READ_AHEAD) {
                b = new float[size + GemmKernel.READ_AHEAD];
            }
            return b;
        }
    }

    /** A GEMM blocked for {@code caches}, packing as suits this CPU ({@link #packsByGathers}). */
    VectorGemm(Parallel parallel, CacheSizes caches) {
        this(parallel, caches, packsByGathers(CpuVendor.DETECTED));
    }

    /**
     * A GEMM blocked for {@code caches} whose transposing packs use gathers, or else transposes in
     * registers and copies ({@link #packsByGathers}).
     */
    VectorGemm(Parallel parallel, CacheSizes caches, boolean gathers) {
        this(parallel, caches, gathers, !"false".equals(System.getProperty(PACKED_C_PROPERTY)));
    }

    /**
     * A GEMM blocked for {@code caches}, packing by gathers or not, and carrying a large C's partial
     * sums in tile order or in C itself ({@link #packedC}).
     */
    VectorGemm(Parallel parallel, CacheSizes caches, boolean gathers, boolean packedC) {
        this.parallel = parallel;
        this.gathers = gathers;
        this.packedC = packedC;
        this.narrowSwapped = GemmKernel.TWELVE_ROWS_IN_PLACE && GemmTranspose.PAIRS && !gathers;
        this.kc = KC;
        // An A block (MC x KC) fills a sixteenth of L2, leaving room for the B panels streaming
        // through and the C tiles (measured at N = 1024-2048: MC = 128 is a little faster than 256,
        // and 512 or 1024 clearly slower).
        this.mc = mcOverride().orElse(Math.max(PMR, (caches.l2() / 16) / (kc * 4) / PMR * PMR));
        // B blocks of KC x NC sit in L3 when the column panels are the outer loop; the limit only
        // bounds the packing buffer (4 MiB). With the rows outer, the whole B block is reread for
        // every row panel and must stay in half of L2.
        this.nc = 4096;
        this.ncRowsOuter = Math.max(NR, (caches.l2() / 2) / (kc * 4) / NR * NR);
        String rowsOuter = System.getProperty(ROWS_OUTER_PROPERTY);
        boolean rowsOuterCaches = caches.l2() >= ROWS_OUTER_L2 && caches.l1() >= ROWS_OUTER_L1;
        this.rowsOuterFrom = ("true".equals(rowsOuter) || !"false".equals(rowsOuter) && rowsOuterCaches)
                ? WIDE_C : Integer.MAX_VALUE;
        this.l1 = caches.l1();
        this.l2 = caches.l2();
        this.workspaces = ThreadLocal.withInitial(Workspace::new);
    }

    /**
     * {@value #ROWS_OUTER_PROPERTY}: {@code true} or {@code false} overrides whether products
     * {@link #WIDE_C} or more wide walk row panels outer (chosen from the caches), for measuring the
     * loop order on a CPU; it decides only which pass computes an element, never the order of its sum.
     */
    static final String ROWS_OUTER_PROPERTY = "dendrite.gemm.rowsOuter";

    /**
     * {@value #MC_PROPERTY}, for measuring other row blocks on a CPU (a multiple of the panel height
     * is kept): MC decides only which pass computes an element, never the order of its sum, so it
     * cannot change a result's bits (VectorGemmBitsTest).
     */
    static final String MC_PROPERTY = "dendrite.gemm.mc";

    private static java.util.OptionalInt mcOverride() {
        Integer v = Integer.getInteger(MC_PROPERTY);
        return v == null || v < PMR ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(v / PMR * PMR);
    }

    /**
     * {@value #GATHERS_PROPERTY}: {@code true} or {@code false} overrides the choice of
     * {@link #packsByGathers}, for measuring; how panels are packed never changes a bit.
     */
    static final String GATHERS_PROPERTY = "dendrite.gemm.gathers";

    /**
     * Whether the packs that transpose (a transposed B, such as a dense layer's weights in its forward
     * pass, and a row-major A) read with vector gathers: not on AMD or Intel CPUs, where they were
     * measured against the alternatives; yes on others. On Zen 3 (256-bit vectors), copying element
     * by element made the MLP's products 4-16 % faster (B) and a few per cent more (A), and
     * transposing 8 x 8 blocks in registers ({@link GemmTranspose}) 8-28 % faster again than the
     * copies; on Zen 4 (512-bit vectors, two blocks at a time) the transposes made the forward passes
     * with a transposed B 6-25 % faster than the gathers; both measured with the two alternated in one
     * JVM (benchmarks/README.md). On the Intel Xeon they were even (the MLP's training step 1,258 /
     * 1,194 us with gathers, 1,205 / 1,199 without; 64 predictions 207 / 205 against 212 / 201), and
     * there C2 was seen to leave a gather's index arithmetic to the Java fallback in some runs,
     * allocating on every call ({@link #gathersA}). {@value #GATHERS_PROPERTY} overrides it.
     */
    static boolean packsByGathers(CpuVendor vendor) {
        String s = System.getProperty(GATHERS_PROPERTY);
        if ("true".equals(s) || "false".equals(s)) {
            return Boolean.parseBoolean(s);
        }
        return vendor == CpuVendor.OTHER;
    }

    /**
     * Whether a row-major A of m x k is packed by gathers. Where the panels are transposed in
     * registers ({@link GemmPacking#TRANSPOSES_A}, {@link GemmPacking#TRANSPOSES_A12}), never: those
     * read a panel's rows side by side too, beat the gathers at every size measured on Zen 3 (6-row
     * panels, N = 512 to 2048) and Zen 4 (12-row panels, N = 1024 and 2048: 1-4 %), and matched them on
     * the Intel Xeon (2048^3 alternated in one JVM: 0.999). And on the Xeon the gathers of A were seen
     * left to the Java fallback by C2 in some runs, allocating about 150 KB a convolution step for good
     * (VectorConvolutionsTest's aWarmStepAllocatesNothing, 1 full run in 4 to 6: int[] and float[] in
     * the gather's index arithmetic). Where A is copied row by row: by gathers where
     * {@link #packsByGathers} says so, or when A is larger than L2 (from L3 the gathers were faster
     * than the copies, N = 1024 and 2048: 1-4 %).
     */
    private boolean gathersA(long m, long k) {
        return !GemmPacking.TRANSPOSES_A && !GemmPacking.TRANSPOSES_A12 && (gathers || m * k * Float.BYTES > l2);
    }

    /** The blocking, for the capabilities line and tests. */
    String blocking() {
        return "MR=" + PMR + " (in place " + MR + (GemmKernel.SIX_ROWS_IN_PLACE ? ", 6 where k > " + SMALL_K : "")
                + ") NR=" + NR + " KC=" + kc + " MC=" + mc + " NC=" + nc
                + (rowsOuterFrom == Integer.MAX_VALUE ? "" : ", rows outer from " + rowsOuterFrom + " columns")
                + (gathers ? "" : GemmTranspose.AVAILABLE ? ", transposing packs in registers" : ", transposing packs by copies")
                + (ROW_MAJOR_A_IN_PLACE ? ", row-major A read in place" : "")
                + (packedC ? ", large C's partial sums in tile order" : "")
                + (SHARED_PASSES ? ", shared passes from 2^" + Long.numberOfTrailingZeros(SHARED_WORK)
                        + " multiply-adds" : ", one share of C per thread");
    }

    /**
     * Row-major operands at offsets; A is [m, k] ([k, m] if transA), B [k, n] ([n, k] if transB), C [m, n].
     * The fused epilogue of a dense layer: {@code bias} (may be null) holds one value per output column
     * from {@code biasOff}, and {@code act} is applied last.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            float[] b, int bOff, float beta, float[] c, int cOff, float[] bias, int biasOff, Activation act,
            float actParam) {
        Workspace ws = workspaces.get();
        Operands o = ws.ops.set(this, m, n, k, alpha, beta,
                a, aOff, transA ? 1 : k, transA ? m : 1,
                b, bOff, transB ? 1 : n, transB ? k : 1,
                c, cOff, bias, biasOff, act, actParam);
        try {
            run(o, ws, transA, transB);
        } finally {
            // The matrices are the caller's: this thread's workspace must not keep them reachable.
            o.release();
        }
    }

    /**
     * {@code batch} products stored one after another: {@code C[i] = alpha op(A[i]) op(B[i]) + beta C[i]}
     * with A[i] at {@code aOff + i * m * k}, B[i] at {@code bOff + i * k * n}, C[i] at
     * {@code cOff + i * m * n}. Each product is computed as {@link #gemm} computes it alone (its path and
     * the order of its sums depend on its shape only), so the bits do not depend on how the batch is
     * shared out. A product large enough to keep every thread busy by itself is split as usual, one
     * product after another; smaller ones (an attention layer's, one per sequence and head) go to the
     * threads whole, a run of consecutive products each.
     */
    void batchedGemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, float[] a, int aOff,
            float[] b, int bOff, float beta, float[] c, int cOff) {
        long work = (long) m * n * k;
        int parts = Math.min(batch, parallel.parts(work * batch, PARALLEL_GRAIN));
        if (parts <= 1 || parallel.parts(work, PARALLEL_GRAIN) >= parallel.threads()) {
            for (int i = 0; i < batch; i++) {
                gemm(transA, transB, m, n, k, alpha, a, aOff + i * m * k, b, bOff + i * k * n, beta, c,
                        cOff + i * m * n, null, 0, Activation.IDENTITY, 0f);
            }
            return;
        }
        BatchJob job = workspaces.get().batch.set(this, transA, transB, batch, m, n, k, alpha, a, aOff, b, bOff,
                beta, c, cOff);
        try {
            job.step = ceilDiv(batch, parts);
            // A part's products run on its thread alone: a product started inside a job is not split again.
            parallel.run(ceilDiv(batch, job.step), job);
        } finally {
            job.release();
        }
    }

    /**
     * A batch of products shared out over the threads, {@code step} consecutive products per part. One
     * per calling thread, refilled by each call, so sharing a batch out allocates nothing; it holds the
     * matrices only during the call.
     */
    private static final class BatchJob implements IntConsumer {
        private VectorGemm gemm;
        private boolean transA;
        private boolean transB;
        private int batch;
        private int m;
        private int n;
        private int k;
        private float alpha;
        private float[] a;
        private int aOff;
        private float[] b;
        private int bOff;
        private float beta;
        private float[] c;
        private int cOff;
        private int step;

        BatchJob set(VectorGemm gemm, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
            this.gemm = gemm;
            this.transA = transA;
            this.transB = transB;
            this.batch = batch;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.b = b;
            this.bOff = bOff;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            return this;
        }

        @Override
        public void accept(int p) {
            int to = Math.min(batch, (p + 1) * step);
            for (int i = p * step; i < to; i++) {
                gemm.gemm(transA, transB, m, n, k, alpha, a, aOff + i * m * k, b, bOff + i * k * n, beta, c,
                        cOff + i * m * n, null, 0, Activation.IDENTITY, 0f);
            }
        }

        void release() {
            gemm = null;
            a = null;
            b = null;
            c = null;
        }
    }

    /**
     * Whether a product of this shape runs on packed panels of A: then {@link #packA} can pack A once
     * for many products with the same A (a convolution's weights, for each chunk of images), and
     * {@link #gemmPackedA} take it as packed.
     */
    boolean packsA(boolean transA, boolean transB, int m, int n, int k) {
        long work = (long) m * n * k;
        boolean dot = transB && !transA && m < MR;
        boolean inPlace = transB && n <= NARROW_B || !transB && (work <= SMALL || m <= 2 * MR || k <= SMALL_K);
        return !dot && !inPlace;
    }

    /**
     * Packs panels of a B that is not stored as a matrix, such as the patches of an image, straight
     * from where its values are: no column matrix to write and read back.
     */
    interface BPanels {
        /**
         * Packs {@code B[p0 .. p0 + kb, j0 .. j0 + nb]} into {@code dst} from {@code dstOff} as
         * {@link GemmPacking#packB} lays it out: panel q (columns {@code j0 + q NR ..}) holds element
         * (p, j) at {@code dstOff + q * kp * NR + (p - p0) * NR + j - j0 - q NR}, with
         * {@code kp = GemmKernel.depth(kb)} and the rows from kb to kp zero. Columns past nb may
         * hold anything finite (the products of padding columns are never stored). {@code index} is
         * the calling thread's scratch of {@code NR} ints. Called by several threads at once when a
         * product is split: it must only read its own fields.
         */
        void pack(int p0, int kb, int j0, int nb, float[] dst, int dstOff, int[] index);
    }

    /**
     * {@code C = op(A) B + beta C} (alpha 1, no epilogue) with B packed by {@code b} and A either
     * packed already ({@code aPacked}, from {@link #packA}) or read from {@code a}: the same bits as
     * {@link #gemm} on B as a matrix. For shapes that {@link #packsA} (the packed path).
     */
    void gemmPanels(boolean transA, int m, int n, int k, float[] a, int aOff, float[] aPacked, int aPackedOff,
            BPanels b, float beta, float[] c, int cOff) {
        Workspace ws = workspaces.get();
        Operands o = ws.ops.set(this, m, n, k, 1f, beta, a, aOff, transA ? 1 : k, transA ? m : 1,
                null, 0, n, 1, c, cOff, null, 0, Activation.IDENTITY, 0f);
        o.aPacked = aPacked;
        o.aPackedOff = aPackedOff;
        o.bPanels = b;
        try {
            run(o, ws, transA, false);
        } finally {
            o.release();
        }
    }

    /** Floats {@link #packA} writes for an m x k op(A). */
    int packedASize(int m, int k) {
        int kb0 = kBlock(k);
        return ceilDiv(k, kb0) * GemmKernel.depth(kb0) * roundUp(m, PMR);
    }

    /**
     * Packs all of op(A) ({@code [m, k]}, or {@code [k, m]} stored if transA) into {@code dst} as the
     * packed path reads it: K block after K block (the blocks {@link #blockPacked} takes, from the
     * inner dimension alone), each as PMR-row panels over all m rows, rows past m zero, each block
     * {@link #packedASize} over the number of blocks apart.
     */
    void packA(boolean transA, int m, int k, float[] a, int aOff, float[] dst, int dstOff) {
        int kb0 = kBlock(k);
        int blockSize = GemmKernel.depth(kb0) * roundUp(m, PMR);
        int[] index = workspaces.get().gatherA;
        boolean gatherA = gathersA(m, k);
        for (int pc = 0; pc < k; pc += kb0) {
            int kb = Math.min(kb0, k - pc);
            GemmPacking.packA(a, aOff, transA ? 1 : k, transA ? m : 1, 0, m, pc, kb, dst,
                    dstOff + pc / kb0 * blockSize, index, gatherA);
        }
    }

    /**
     * {@code C = op(A) op(B) + beta C} (alpha 1, no epilogue) with A given packed by {@link #packA}
     * at {@code aPackedOff}: the same bits as {@link #gemm} on the unpacked A, whose shape must be one
     * that {@link #packsA}.
     */
    void gemmPackedA(boolean transB, int m, int n, int k, float[] aPacked, int aPackedOff, float[] b, int bOff,
            float beta, float[] c, int cOff) {
        Workspace ws = workspaces.get();
        Operands o = ws.ops.set(this, m, n, k, 1f, beta, null, 0, 0, 0,
                b, bOff, transB ? 1 : n, transB ? k : 1,
                c, cOff, null, 0, Activation.IDENTITY, 0f);
        o.aPacked = aPacked;
        o.aPackedOff = aPackedOff;
        try {
            run(o, ws, false, transB);
        } finally {
            o.release();
        }
    }

    /**
     * Floats {@link #packB} writes for an op(B) of k x n: every K block's panels over all n columns,
     * and the packed kernel's read-ahead past the last.
     */
    int packedBSize(int n, int k) {
        int kb0 = kBlock(k);
        return ceilDiv(k, kb0) * GemmKernel.depth(kb0) * roundUp(n, NR) + GemmKernel.READ_AHEAD;
    }

    /**
     * Packs all of op(B) ({@code [k, n]}, or {@code [n, k]} stored if transB, such as a dense layer's
     * weights) into {@code dst} as the packed path reads it: K block after K block (the blocks of
     * {@link #blockPacked}, from the inner dimension alone), each as the NR-column panels of all n
     * columns that a call would pack, so that {@link #gemmPrepackedB} adds the same products in the
     * same order as {@link #gemm}, only without packing B on every call.
     */
    void packB(boolean transB, int n, int k, float[] b, int bOff, float[] dst, int dstOff) {
        int kb0 = kBlock(k);
        int block = GemmKernel.depth(kb0) * roundUp(n, NR);
        int[] index = workspaces.get().gather;
        for (int pc = 0; pc < k; pc += kb0) {
            GemmPacking.packB(b, bOff, transB ? 1 : n, transB ? k : 1, pc, Math.min(kb0, k - pc), 0, n, dst,
                    dstOff + pc / kb0 * block, index, gathers);
        }
        java.util.Arrays.fill(dst, dstOff + packedBSize(n, k) - GemmKernel.READ_AHEAD, dstOff + packedBSize(n, k), 0f);
    }

    /**
     * {@link #gemm} with A not transposed and B also given packed by {@link #packB} at
     * {@code bPacked[bPackedOff]}: the same bits. B itself is still read where the shape takes a path
     * that does not pack it (dot products for fewer than MR rows, a transposed B at most
     * {@link #NARROW_B} wide, small products in place).
     */
    void gemmPrepackedB(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff,
            float[] bPacked, int bPackedOff, float beta, float[] c, int cOff, float[] bias, int biasOff,
            Activation act, float actParam) {
        Workspace ws = workspaces.get();
        Operands o = ws.ops.set(this, m, n, k, alpha, beta, a, aOff, k, 1,
                b, bOff, transB ? 1 : n, transB ? k : 1,
                c, cOff, bias, biasOff, act, actParam);
        o.bPrepacked = bPacked;
        o.bPrepackedOff = bPackedOff;
        o.bPrepackedBlock = GemmKernel.depth(kBlock(k)) * roundUp(n, NR);
        try {
            run(o, ws, false, transB);
        } finally {
            o.release();
        }
    }

    /** Where the prepacked panels of K block {@code pc} start at column {@code jc} (a whole panel), kp deep. */
    private static int prepackedPanels(Operands o, int pc, int kb0, int jc, int kp) {
        return o.bPrepackedOff + pc / kb0 * o.bPrepackedBlock + jc * kp;
    }

    /** The K block of the packed path: blocks of equal size, at most KC, from the inner dimension alone. */
    private int kBlock(int k) {
        return ceilDiv(k, ceilDiv(k, kc));
    }

    /** Chooses the path (dot products, in place or packed) and splits the product over the threads. */
    private void run(Operands o, Workspace ws, boolean transA, boolean transB) {
        int m = o.m;
        int n = o.n;
        int k = o.k;
        long work = (long) m * n * k;
        int parts = parallel.parts(work, PARALLEL_GRAIN);
        // The path depends on the shape alone, never on the thread count, so each element is summed
        // in the same order however the work is split.
        if (transB && !transA && m < MR && o.aPacked == null && o.bPanels == null) {
            gemmDot(o, parts, ws);
            return;
        }
        // A transposed B at most NARROW_B wide (a 10-class layer's forward pass) is packed whole into
        // the in-place path's edge panel, and A read where it is.
        boolean narrowB = transB && n <= NARROW_B;
        o.aInPlace = aInPlace(o);
        o.inPlace = o.aPacked == null && o.bPanels == null
                && (narrowB || !transB && (work <= SMALL || m <= 2 * MR || k <= SMALL_K));
        if (parts == 1) {
            block(o, 0, m, 0, n);
            return;
        }
        // Shared passes only where the workers will take parts (not for a product inside a
        // convolution's chunk, which runs on its thread alone) and each pass is worth a hand-over.
        if (SHARED_PASSES && !o.inPlace && work >= SHARED_WORK && (long) m * n * kBlock(k) >= SHARED_PASS_WORK
                && parallel.shares()) {
            passes(o, ws, parts);
            return;
        }
        // Packed: split along n when each part keeps several full panels (each thread then packs only
        // its part of B), else along m. In place: along m when each part gets two row tiles and all of
        // B fits in L1, since parts side by side share a cache line in every row of C, paid on every
        // row when the inner dimension is short (2 threads, 2048 x 256 x 10: 99-120 us by rows against
        // 174-206 by columns, slower than one thread; 512 x 512 x 16: 71 against 89-100). A B larger
        // than L1 is better halved (1000 x 1000 x 20, B 80 KB: 653-667 us by columns, 658-753 by rows).
        boolean byColumns = o.inPlace ? m < parts * 2 * MR || (long) k * n * Float.BYTES > l1
                : n >= parts * 2 * NR || n >= m;
        if (byColumns) {
            o.split = Split.COLUMNS;
            o.step = ceilDiv(ceilDiv(n, NR), parts) * NR;
            parallel.run(ceilDiv(n, o.step), ws.part);
        } else {
            int rows = o.inPlace ? MR : PMR;
            o.split = Split.ROWS;
            o.step = ceilDiv(ceilDiv(m, rows), parts) * rows;
            parallel.run(ceilDiv(m, o.step), ws.part);
        }
    }

    /** The dot-product path ({@link GemmDot}), split over rows, or over columns when there are few rows. */
    private void gemmDot(Operands o, int parts, Workspace ws) {
        int m = o.m;
        int n = o.n;
        if (parts == 1) {
            blockDot(o, 0, m, 0, n);
        } else if (m >= parts * 2 * GemmDot.BLOCK) {
            o.split = Split.DOT_ROWS;
            o.step = ceilDiv(ceilDiv(m, GemmDot.BLOCK), parts) * GemmDot.BLOCK;
            parallel.run(ceilDiv(m, o.step), ws.part);
        } else {
            o.split = Split.DOT_COLUMNS;
            o.step = ceilDiv(ceilDiv(n, GemmDot.BLOCK), parts) * GemmDot.BLOCK;
            parallel.run(ceilDiv(n, o.step), ws.part);
        }
    }

    /** How a product's parts divide it: by rows or columns, on the blocked or the dot-product path. */
    private enum Split { ROWS, COLUMNS, DOT_ROWS, DOT_COLUMNS }

    /** Part p of a product split over threads: rows or columns {@code [p * step, (p + 1) * step)}. */
    private void part(Operands o, int p) {
        int from = p * o.step;
        switch (o.split) {
            case ROWS -> block(o, from, Math.min(o.m, from + o.step), 0, o.n);
            case COLUMNS -> block(o, 0, o.m, from, Math.min(o.n, from + o.step));
            case DOT_ROWS -> blockDot(o, from, Math.min(o.m, from + o.step), 0, o.n);
            case DOT_COLUMNS -> blockDot(o, 0, o.m, from, Math.min(o.n, from + o.step));
        }
    }

    /**
     * One GEMM's arguments; element (i, p) of op(A) is {@code a[aOff + i * aRs + p * aCs]}, likewise B.
     * Mutable, and reused: each thread that calls {@link #gemm} fills the one in its {@link Workspace}
     * (a record per call was a fifth of the bytes a training step allocated). The pool's workers only
     * read the caller's while it waits for them, and no product starts another, so one per thread is
     * enough.
     */
    private static final class Operands {
        /** The product's VectorGemm, for the pool's workers; cleared after the call like the matrices. */
        VectorGemm gemm;
        int m;
        int n;
        int k;
        float alpha;
        float beta;
        float[] a;
        int aOff;
        int aRs;
        int aCs;
        float[] b;
        int bOff;
        int bRs;
        int bCs;
        float[] c;
        int cOff;
        /** The fused epilogue: one bias value per column of C from biasOff (or none), then act. */
        float[] bias;
        int biasOff;
        Activation act;
        float actParam;
        /** A packed whole by {@link #packA} (or null): the packed path reads its panels there. */
        float[] aPacked;
        int aPackedOff;
        /** B's packer when B is not a matrix (or null). */
        BPanels bPanels;
        /**
         * B packed whole beforehand by {@link #packB} (or null): the packed path reads its panels there,
         * K block t's from {@code bPrepackedOff + t * bPrepackedBlock}.
         */
        float[] bPrepacked;
        int bPrepackedOff;
        int bPrepackedBlock;
        /** Whether the kernels read A and B in place (see {@link #block}). */
        boolean inPlace;
        /** Whether the packed path reads A's full row panels in place (see {@link #aInPlace}). */
        boolean aInPlace;
        /** C's partial sums between the shared passes, in tile order (see {@link #packedC}), or null. */
        float[] cPack;
        /** How the parts divide the product, and the rows or columns in each. */
        Split split;
        int step;
        // The shared pass in progress (see passes): B's K block [pc, pc + kb) of columns [jc, jc + nb),
        // packed into passB panel by panel by whichever part needs a panel first.
        float[] passB;
        AtomicLongArray panelStates;
        /** Each home share's next part, and the number of shares (see {@link #passShare}). */
        AtomicIntegerArray shareNext;
        int shares;
        long pass;
        int jc;
        int nb;
        int pc;
        int kb;
        int kp;
        int kb0;
        boolean first;
        boolean last;
        boolean direct;
        boolean rowsOuter;
        /** Rows of a part (a multiple of PMR), and the parts' layout: row blocks by column chunks. */
        int partRows;
        int chunks;
        int chunkPanels;
        /** B panels packed at once in a shared pass ({@link #panelGroup}). */
        int panelGroup;
        int rowBlocks;

        Operands set(VectorGemm gemm, int m, int n, int k, float alpha, float beta, float[] a, int aOff, int aRs,
                int aCs, float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, float[] bias, int biasOff,
                Activation act, float actParam) {
            this.gemm = gemm;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.a = a;
            this.aOff = aOff;
            this.aRs = aRs;
            this.aCs = aCs;
            this.b = b;
            this.bOff = bOff;
            this.bRs = bRs;
            this.bCs = bCs;
            this.c = c;
            this.cOff = cOff;
            this.bias = bias;
            this.biasOff = biasOff;
            this.act = act;
            this.actParam = actParam;
            return this;
        }

        void release() {
            gemm = null;
            a = null;
            b = null;
            c = null;
            bias = null;
            aPacked = null;
            bPanels = null;
            bPrepacked = null;
            passB = null;
            cPack = null;
            panelStates = null;
            shareNext = null;
        }
    }

    /**
     * Computes C[m0 .. m1, n0 .. n1] on this thread: in place when B is not transposed and the
     * problem is small, has so few rows that each packed panel of B would serve only one or two
     * tiles (the weight gradient of a 10-class output layer: packing B took a third of its time),
     * or so short an inner dimension that packing costs more than the products; packed otherwise.
     */
    private void block(Operands o, int m0, int m1, int n0, int n1) {
        if (o.inPlace) {
            blockInPlace(o, m0, m1, n0, n1);
        } else {
            blockPacked(o, m0, m1, n0, n1);
        }
    }

    /** The GotoBLAS loops over packed panels (see the class comment). */
    private void blockPacked(Operands o, int m0, int m1, int n0, int n1) {
        Workspace ws = workspaces.get();
        int k = o.k;
        // Blocks of equal size (rather than full blocks and a thin remainder).
        int kb0 = kBlock(k);
        int mbMax = roundUp(ceilDiv(m1 - m0, ceilDiv(m1 - m0, mc)), PMR);
        // Wide C (rows 8 KiB apart or more): walk each row panel across all column panels, so a tile
        // of C follows the previous one along its rows. Walking down a column panel instead jumps by
        // the row stride, which for such widths maps every row of a tile to the same cache set
        // (measured at N = 2048: 263 against 250 GFLOPS; at N <= 1024 the column order is faster).
        // Not with a small L2 or L1 (see ROWS_OUTER_L2).
        boolean rowsOuter = o.n >= rowsOuterFrom;
        int ncBlock = rowsOuter ? ncRowsOuter : nc;
        int nbMax = roundUp(ceilDiv(n1 - n0, ceilDiv(n1 - n0, ncBlock)), NR);
        int kp0 = GemmKernel.depth(kb0);
        float[] bPack = o.bPrepacked != null ? o.bPrepacked : ws.b(kp0 * nbMax);
        float[] aPack = o.aPacked != null ? o.aPacked : ws.a(kp0 * mbMax);
        int aBlock = kp0 * roundUp(o.m, PMR);
        float[] tile = ws.tile;
        boolean gatherA = gathersA(o.m, k);
        boolean aInPlace = o.aInPlace;
        // C's partial sums in tile order: a row block's tiles, column panel by column panel, each
        // PMR x NR floats, in the order the loops below visit them.
        int nPad = roundUp(n1 - n0, NR);
        float[] cPack = !rowsOuter && packedC(o, m1 - m0, nPad, kb0) ? ws.c((m1 - m0) * nPad) : null;
        for (int jc = n0; jc < n1; jc += nbMax) {
            int nb = Math.min(nbMax, n1 - jc);
            for (int pc = 0; pc < k; pc += kb0) {
                int kb = Math.min(kb0, k - pc);
                int kp = GemmKernel.depth(kb);
                boolean first = pc == 0;
                boolean last = pc + kb == k;
                // Full tiles skip the tile buffer when the store is a copy or a sum (plus the bias).
                boolean direct = o.alpha == 1f && (!first || o.beta == 0f);
                int bBase = 0;
                if (o.bPrepacked != null) {
                    bBase = prepackedPanels(o, pc, kb0, jc, kp);
                } else if (o.bPanels != null) {
                    o.bPanels.pack(pc, kb, jc, nb, bPack, 0, ws.panelIndex);
                } else {
                    GemmPacking.packB(o.b, o.bOff, o.bRs, o.bCs, pc, kb, jc, nb, bPack, 0, ws.gather, gathers);
                }
                for (int ic = m0; ic < m1; ic += mbMax) {
                    int mb = Math.min(mbMax, m1 - ic);
                    int a0;
                    if (o.aPacked != null) {
                        // Packed beforehand: this block's panels within K block pc (ic is a whole number of panels).
                        a0 = o.aPackedOff + pc / kb0 * aBlock + ic * kp;
                    } else {
                        packA(o, ic, mb, pc, kb, aPack, aInPlace, ws.gatherA, gatherA);
                        a0 = 0;
                    }
                    if (rowsOuter) {
                        for (int ir = 0; ir < mb; ir += PMR) {
                            for (int jr = 0; jr < nb; jr += NR) {
                                if (aInPlace && ir + PMR <= mb) {
                                    tileRowMajorA(o, tile, bPack, bBase + jr * kp, kb, ic, ir, jc, jr, nb, pc, first,
                                            last, direct);
                                } else {
                                    tile(o, tile, aPack, a0, bPack, bBase + jr * kp, kp, ic, ir, mb, jc, jr, nb, first,
                                            last, direct);
                                }
                            }
                        }
                    } else {
                        int base = (ic - m0) * nPad + (jc - n0) * mb;
                        for (int jr = 0; jr < nb; jr += NR) {
                            boolean packedColumns = cPack != null && jr + NR <= nb;
                            for (int ir = 0; ir < mb; ir += PMR) {
                                if (packedColumns && ir + PMR <= mb) {
                                    packedCTile(o, cPack, base + jr * mb + ir * NR, aPack, a0 + ir * kp, bPack,
                                            bBase + jr * kp, kp, kb, pc, ic + ir, jc + jr, aInPlace, first, last);
                                } else if (aInPlace && ir + PMR <= mb) {
                                    tileRowMajorA(o, tile, bPack, bBase + jr * kp, kb, ic, ir, jc, jr, nb, pc, first,
                                            last, direct);
                                } else {
                                    tile(o, tile, aPack, a0, bPack, bBase + jr * kp, kp, ic, ir, mb, jc, jr, nb, first,
                                            last, direct);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether the packed path reads A's full row panels where they lie ({@link GemmKernel#multiplyRowMajorA6}),
     * packing only a ragged last panel: with 6-row panels (AVX2), a row-major A not packed beforehand,
     * and rows spread over L1's sets ({@link #rowsSpread}). With two threads sharing a product by
     * column chunks each packs all of A's rows; reading them in place saves that copy
     * (benchmarks/README.md). The in-place kernels take the K block's kb steps where the packed ones
     * take its depth (kb rounded up to even, the last row zero): a zero row adds nothing to a sum
     * ({@link GemmKernel#depth}), so the bits are the same.
     */
    private static boolean aInPlace(Operands o) {
        return ROW_MAJOR_A_IN_PLACE && o.aPacked == null && o.aCs == 1 && rowsSpread(o.aRs);
    }

    /**
     * Whether six rows {@code lda} floats apart fall in L1's sets (64-byte lines, a 4 KiB period) with
     * at most two in any one set. Rows 2 or 4 KiB apart (N = 512 or 1024) put three or all six of a
     * panel's rows in one set, and read in place they were 5-10 % slower than packed.
     */
    private static boolean rowsSpread(int lda) {
        for (int i = 0; i < PMR; i++) {
            int same = 0;
            for (int j = 0; j < PMR; j++) {
                if (l1Set(i, lda) == l1Set(j, lda)) {
                    same++;
                }
            }
            if (same > 2) {
                return false;
            }
        }
        return true;
    }

    private static long l1Set(int row, int lda) {
        return (long) row * lda * Float.BYTES / 64 % 64;
    }

    /**
     * Packs A's rows {@code [ic, ic + mb)} of K block pc into {@code aPack} from 0, or with
     * {@code aInPlace} only the ragged last panel, at its place among the others (the full ones are
     * read in place).
     */
    private static void packA(Operands o, int ic, int mb, int pc, int kb, float[] aPack, boolean aInPlace,
            int[] index, boolean gather) {
        int from = aInPlace ? mb / PMR * PMR : 0;
        if (from < mb) {
            GemmPacking.packA(o.a, o.aOff, o.aRs, o.aCs, ic + from, mb - from, pc, kb, aPack, from * GemmKernel.depth(kb),
                    index, gather);
        }
    }

    /**
     * One PMR x NR tile of C at (ic + ir, jc + jr) from packed panels kp deep, B's at {@code b0}:
     * the micro-kernel, then the store.
     */
    private static void tile(Operands o, float[] tile, float[] aPack, int a0, float[] bPack, int b0, int kp, int ic,
            int ir, int mb, int jc, int jr, int nb, boolean first, boolean last, boolean direct) {
        int mr = Math.min(PMR, mb - ir);
        int nr = Math.min(NR, nb - jr);
        if (direct && mr == PMR && nr == NR) {
            int c0 = o.cOff + (ic + ir) * o.n + jc + jr;
            float[] bias = first ? o.bias : null;
            GemmKernel.multiplyPackedInto(kp, aPack, a0 + ir * kp, bPack, b0, o.c, c0, o.n, !first,
                    bias, o.biasOff + jc + jr);
            if (last && o.act != Activation.IDENTITY) {
                activate(o, c0, mr, nr);
            }
        } else {
            // A last row panel of at most four rows (a batch of 64 or 128 ends in one) runs the
            // 4-row kernel rather than computing the panel's zero rows too.
            if (nr > L && mr <= 4) {
                GemmKernel.multiplyPacked4(kp, aPack, a0 + ir * kp, bPack, b0, tile);
            } else if (nr > L) {
                GemmKernel.multiplyPackedInto(kp, aPack, a0 + ir * kp, bPack, b0, tile, 0, NR, false, null, 0);
            } else {
                GemmKernel.multiplyPackedNarrow(kp, aPack, a0 + ir * kp, bPack, b0, tile);
            }
            store(o, tile, ic + ir, mr, jc + jr, nr, first, last);
        }
    }

    /**
     * Whether this product carries C's partial sums from one K block to the next in a buffer in tile
     * order, each tile's PMR x NR floats together and the tiles in the order the loops visit them,
     * instead of in C: where C is larger than L2, several K blocks deep, {@code C = A B} (alpha 1,
     * beta 0, so every full tile stores straight from the registers), and at most
     * {@link #PACKED_C_MAX} floats. In C a tile's rows are a row of C apart, so each K block reads
     * them back from L3 or memory line by line, no prefetcher following, and (Java having no
     * prefetch instruction) each line that misses stalls the kernel where it adds its sum to C. In
     * tile order each tile's sums follow the last tile's in memory, the hardware prefetches them,
     * and only the last K block writes C (the partial sums copied in just before its kernel runs,
     * whose add then finds them in L1). The sums and their order are the same either way, so are the
     * bits. Not with the rows outer, whose tiles already follow each other along C's rows.
     */
    private boolean packedC(Operands o, int rows, int nPad, int kb0) {
        return packedC && o.alpha == 1f && o.beta == 0f && o.k > kb0
                && (long) rows * nPad * Float.BYTES > l2 && (long) rows * nPad <= PACKED_C_MAX;
    }

    /**
     * A full tile of a product whose partial sums are in tile order ({@link #packedC}) at
     * {@code off} in {@code cPack}, for C's rows {@code [i, i + PMR)} and columns {@code [j, j + NR)},
     * A packed at {@code a0} or read in place: the first K block stores its sum (with the bias)
     * there, the ones after add to it, and the last adds to it in C, then applies the activation.
     */
    private static void packedCTile(Operands o, float[] cPack, int off, float[] aPack, int a0, float[] bPack, int b0,
            int kp, int kb, int pc, int i, int j, boolean aInPlace, boolean first, boolean last) {
        float[] dst = cPack;
        int d = off;
        int ld = NR;
        if (last) {
            dst = o.c;
            d = o.cOff + i * o.n + j;
            ld = o.n;
            for (int r = 0; r < PMR; r++) {
                FloatVector.fromArray(Simd.F, cPack, off + r * NR).intoArray(dst, d + r * ld);
                FloatVector.fromArray(Simd.F, cPack, off + r * NR + L).intoArray(dst, d + r * ld + L);
            }
        }
        float[] bias = first ? o.bias : null;
        if (aInPlace) {
            GemmKernel.multiplyRowMajorA6(kb, o.a, o.aOff + i * o.aRs + pc, o.aRs, bPack, b0, dst, d, ld, !first, bias,
                    o.biasOff + j);
        } else {
            GemmKernel.multiplyPackedInto(kp, aPack, a0, bPack, b0, dst, d, ld, !first, bias, o.biasOff + j);
        }
        if (last && o.act != Activation.IDENTITY) {
            activate(o, d, PMR, NR);
        }
    }

    /**
     * {@link #tile} for a full row panel of a row-major A read in place ({@link #aInPlace}): rows
     * ic + ir to ic + ir + PMR of A from column pc, kb steps. A method of its own, so that the packed
     * path's tile keeps the code it had.
     */
    private static void tileRowMajorA(Operands o, float[] tile, float[] bPack, int b0, int kb, int ic, int ir, int jc,
            int jr, int nb, int pc, boolean first, boolean last, boolean direct) {
        int nr = Math.min(NR, nb - jr);
        int aRow = o.aOff + (ic + ir) * o.aRs + pc;
        if (direct && nr == NR) {
            int c0 = o.cOff + (ic + ir) * o.n + jc + jr;
            float[] bias = first ? o.bias : null;
            GemmKernel.multiplyRowMajorA6(kb, o.a, aRow, o.aRs, bPack, b0, o.c, c0, o.n, !first, bias,
                    o.biasOff + jc + jr);
            if (last && o.act != Activation.IDENTITY) {
                activate(o, c0, PMR, nr);
            }
        } else {
            if (nr > L) {
                GemmKernel.multiplyRowMajorA6(kb, o.a, aRow, o.aRs, bPack, b0, tile, 0, NR, false, null, 0);
            } else {
                GemmKernel.multiplyRowMajorA6Narrow(kb, o.a, aRow, o.aRs, bPack, b0, tile);
            }
            store(o, tile, ic + ir, PMR, jc + jr, nr, first, last);
        }
    }

    /**
     * A large packed product on several threads, in the GotoBLAS order of {@link #blockPacked}, one
     * pass per K block (and column block) with the threads sharing each pass: a pass is cut into
     * {@link #PARTS_PER_THREAD} parts per thread or more (row blocks by column chunks, at least one
     * chunk per thread where C has the columns), in one home range per thread ({@link #passShare}),
     * so a thread slowed by another process leaves the end of its range to the others instead of
     * holding up the product. The pass's B panels are packed once, into the calling thread's buffer,
     * each (or eight at a time, where B's rows are a page apart) by the first part to need it
     * ({@link #panel}): a thread working in its own range reads the
     * panels it packed itself, from its own core's cache. Each part packs its own block of A, or
     * reads it in place ({@link #aInPlace}). The passes run one after another, so each element's sum
     * runs over the K blocks in order: the same bits as on one thread. With B packed beforehand
     * ({@link #gemmPrepackedB}) no pass has panels to pack, and each part runs every K block of its
     * tile in order ({@link #prepackedPart}): the threads meet once instead of at every K block, so a
     * thread that another process stalls holds the product up once.
     */
    private void passes(Operands o, Workspace ws, int parts) {
        int m = o.m;
        int n = o.n;
        int k = o.k;
        int kb0 = kBlock(k);
        boolean rowsOuter = n >= rowsOuterFrom;
        int ncBlock = rowsOuter ? ncRowsOuter : nc;
        int nbMax = roundUp(ceilDiv(n, ceilDiv(n, ncBlock)), NR);
        int kp0 = GemmKernel.depth(kb0);
        int target = (int) Math.max(parts, Math.min(PARTS_PER_THREAD * parts, (long) m * n * kb0 / PART_WORK));
        int rows = roundUp(ceilDiv(m, ceilDiv(m, mc)), PMR);
        if (ceilDiv(m, rows) < target) {
            rows = Math.max(PMR, roundUp(ceilDiv(m, target), PMR));
        }
        int rowBlocks = ceilDiv(m, rows);
        o.passB = o.bPrepacked != null ? null : ws.b(kp0 * nbMax);          // prepacked: nothing to pack
        o.panelStates = ws.panelStates(nbMax / NR);
        o.panelGroup = panelGroup(o);
        o.partRows = rows;
        o.rowBlocks = rowBlocks;
        o.rowsOuter = rowsOuter;
        o.kb0 = kb0;
        int nPad = roundUp(n, NR);
        o.cPack = !rowsOuter && o.bPrepacked == null && packedC(o, m, nPad, kb0) ? ws.c(m * nPad) : null;
        for (int jc = 0; jc < n; jc += nbMax) {
            int nb = Math.min(nbMax, n - jc);
            int panels = ceilDiv(nb, NR);
            int maxChunks = Math.max(1, panels / MIN_CHUNK_PANELS);
            // At least one column chunk per thread where the panels allow, so that each home share
            // (see passShare) reads only its own columns' B panels, which its thread packs into its
            // own core's cache.
            int chunks = Math.max(Math.min(parts, maxChunks),
                    rowBlocks >= target ? 1 : Math.min(ceilDiv(target, rowBlocks), maxChunks));
            int chunkPanels = ceilDiv(panels, chunks);
            o.chunkPanels = chunkPanels;
            o.chunks = ceilDiv(panels, chunkPanels);
            int passParts = rowBlocks * o.chunks;
            o.shares = Math.min(parts, passParts);
            o.shareNext = ws.shareNext(o.shares);
            o.jc = jc;
            o.nb = nb;
            if (o.bPrepacked != null) {
                // No panels to pack in any pass: each part runs every K block of its tile in order
                // (prepackedPart), so the threads meet once per column block rather than once per K block.
                for (int h = 0; h < o.shares; h++) {
                    o.shareNext.set(h, h * passParts / o.shares);
                }
                parallel.run(o.shares, ws.passShare);
                continue;
            }
            for (int pc = 0; pc < k; pc += kb0) {
                int kb = Math.min(kb0, k - pc);
                o.pc = pc;
                o.kb = kb;
                o.kp = GemmKernel.depth(kb);
                o.first = pc == 0;
                o.last = pc + kb == k;
                // Full tiles skip the tile buffer when the store is a copy or a sum (plus the bias).
                o.direct = o.alpha == 1f && (!o.first || o.beta == 0f);
                o.pass = ++ws.passes;
                for (int h = 0; h < o.shares; h++) {
                    o.shareNext.set(h, h * passParts / o.shares);
                }
                parallel.run(o.shares, ws.passShare);
            }
        }
    }

    /**
     * Home share h of the shared pass in progress, then what is left of the others: the pass's
     * parts, column chunk by column chunk, are cut into one contiguous range per thread, and each
     * thread claims the parts of its own range first (so it reads the B panels it packed itself),
     * then helps with the ranges of threads that are late: the static split with stealing. Which
     * thread runs a part never changes a bit of the result.
     */
    private void passShare(Operands o, int h) {
        int passParts = o.rowBlocks * o.chunks;
        for (int i = 0; i < o.shares; i++) {
            int g = (h + i) % o.shares;
            int end = (g + 1) * passParts / o.shares;
            for (int p = o.shareNext.getAndIncrement(g); p < end; p = o.shareNext.getAndIncrement(g)) {
                passPart(o, p);
            }
        }
    }

    /**
     * Part p of the shared pass in progress: column chunk {@code p / rowBlocks}, row block
     * {@code p % rowBlocks}. Row blocks that share a chunk start at different panels, so that parts
     * running at once pack different panels rather than wait for each other's.
     */
    private void passPart(Operands o, int p) {
        if (o.bPrepacked != null) {
            prepackedPart(o, p);
            return;
        }
        int rb = p % o.rowBlocks;
        int q0 = p / o.rowBlocks * o.chunkPanels;
        int count = Math.min(o.chunkPanels, ceilDiv(o.nb, NR) - q0);
        int ic = rb * o.partRows;
        partTiles(o, ic, Math.min(o.partRows, o.m - ic), q0, count, rb * count / o.rowBlocks, o.pc, o.kb, o.passB, 0,
                true, o.first, o.last, o.direct);
    }

    /**
     * Part p of a product whose B was packed beforehand, over every K block in order: the tile of C
     * of column chunk {@code p / rowBlocks} and row block {@code p % rowBlocks}, each element summed
     * over the K blocks in the order one pass after another would sum it.
     */
    private void prepackedPart(Operands o, int p) {
        int rb = p % o.rowBlocks;
        int q0 = p / o.rowBlocks * o.chunkPanels;
        int count = Math.min(o.chunkPanels, ceilDiv(o.nb, NR) - q0);
        int ic = rb * o.partRows;
        int rows = Math.min(o.partRows, o.m - ic);
        for (int pc = 0; pc < o.k; pc += o.kb0) {
            int kb = Math.min(o.kb0, o.k - pc);
            boolean first = pc == 0;
            partTiles(o, ic, rows, q0, count, 0, pc, kb, o.bPrepacked,
                    prepackedPanels(o, pc, o.kb0, o.jc, GemmKernel.depth(kb)), false, first, pc + kb == o.k,
                    o.alpha == 1f && (!first || o.beta == 0f));
        }
    }

    /**
     * Rows {@code [ic, ic + rows)} against the column panels {@code q0 .. q0 + count} of K block
     * {@code pc} (kb deep), taken from panel {@code start} round: A's block packed (or found packed
     * whole), then each tile, B's panel q at {@code bBase + q * NR * kp} in {@code bPack}, packed first
     * by whichever part needs it when {@code pack} (see {@link #panel}).
     */
    private void partTiles(Operands o, int ic, int rows, int q0, int count, int start, int pc, int kb, float[] bPack,
            int bBase, boolean pack, boolean first, boolean last, boolean direct) {
        Workspace mine = workspaces.get();
        int kp = GemmKernel.depth(kb);
        boolean aInPlace = o.aInPlace;
        float[] aPack;
        int a0;
        if (o.aPacked != null) {
            aPack = o.aPacked;
            a0 = o.aPackedOff + pc / o.kb0 * (GemmKernel.depth(o.kb0) * roundUp(o.m, PMR)) + ic * kp;
        } else {
            aPack = mine.a(kp * roundUp(rows, PMR));
            packA(o, ic, rows, pc, kb, aPack, aInPlace, mine.gatherA, gathersA(o.m, o.k));
            a0 = 0;
        }
        float[] tile = mine.tile;
        if (o.rowsOuter) {
            for (int ir = 0; ir < rows; ir += PMR) {
                for (int i = 0; i < count; i++) {
                    int q = q0 + (start + i) % count;
                    if (pack) {
                        panel(o, q, mine);
                    }
                    if (aInPlace && ir + PMR <= rows) {
                        tileRowMajorA(o, tile, bPack, bBase + q * NR * kp, kb, ic, ir, o.jc, q * NR, o.nb, pc, first,
                                last, direct);
                    } else {
                        tile(o, tile, aPack, a0, bPack, bBase + q * NR * kp, kp, ic, ir, rows, o.jc, q * NR, o.nb,
                                first, last, direct);
                    }
                }
            }
        } else {
            // With C's partial sums in tile order (only in a shared pass), laid out as blockPacked lays
            // them out for one thread: whichever thread runs a part, its tiles' sums are in the same
            // place in every pass.
            float[] cPack = pack ? o.cPack : null;
            int base = ic * roundUp(o.n, NR);
            for (int i = 0; i < count; i++) {
                int q = q0 + (start + i) % count;
                if (pack) {
                    panel(o, q, mine);
                }
                int j = o.jc + q * NR;
                boolean packedColumns = cPack != null && q * NR + NR <= o.nb;
                for (int ir = 0; ir < rows; ir += PMR) {
                    if (packedColumns && ir + PMR <= rows) {
                        packedCTile(o, cPack, base + j * rows + ir * NR, aPack, a0 + ir * kp, bPack,
                                bBase + q * NR * kp, kp, kb, pc, ic + ir, j, aInPlace, first, last);
                    } else if (aInPlace && ir + PMR <= rows) {
                        tileRowMajorA(o, tile, bPack, bBase + q * NR * kp, kb, ic, ir, o.jc, q * NR, o.nb, pc, first,
                                last, direct);
                    } else {
                        tile(o, tile, aPack, a0, bPack, bBase + q * NR * kp, kp, ic, ir, rows, o.jc, q * NR, o.nb,
                                first, last, direct);
                    }
                }
            }
        }
    }

    /**
     * {@link #PANEL_GROUP} where B is a matrix not transposed whose rows are a page or more apart,
     * else 1: where B's rows are closer (a dense layer's weight gradient, B 1-3 KiB wide and in
     * cache), a group packed ahead of its first tile was slower than a panel packed just before its
     * tiles, which then finds it in L1 (benchmarks/README.md, "B panels in groups").
     */
    private static int panelGroup(Operands o) {
        return o.bPanels == null && o.bCs == 1 && (long) o.bRs * Float.BYTES >= PAGE ? PANEL_GROUP : 1;
    }

    /**
     * Makes sure B panel q of the pass in progress is packed: packs its group (the
     * {@link #panelGroup} panels of q's column chunk it falls in, often q alone) if no thread has
     * begun to, else waits for the thread that has (a group takes a few microseconds to pack). A group
     * never crosses a chunk's edge, so a thread working in its own chunk packs only its own panels.
     */
    private static void panel(Operands o, int q, Workspace mine) {
        int chunk0 = q / o.chunkPanels * o.chunkPanels;
        int g = chunk0 + (q - chunk0) / o.panelGroup * o.panelGroup;
        AtomicLongArray states = o.panelStates;
        long packing = 2 * o.pass + 1;
        long packed = packing + 1;
        long state = states.get(g);
        if (state == packed) {
            return;
        }
        if (state < packing && states.compareAndSet(g, state, packing)) {
            try {
                int panels = Math.min(g + o.panelGroup, Math.min(chunk0 + o.chunkPanels, ceilDiv(o.nb, NR))) - g;
                int j0 = o.jc + g * NR;
                int width = Math.min(panels * NR, o.jc + o.nb - j0);
                int dst = g * o.kp * NR;
                if (o.bPanels != null) {
                    o.bPanels.pack(o.pc, o.kb, j0, width, o.passB, dst, mine.panelIndex);
                } else {
                    GemmPacking.packB(o.b, o.bOff, o.bRs, o.bCs, o.pc, o.kb, j0, width, o.passB, dst, mine.gather,
                            o.gemm.gathers);
                }
            } finally {
                // Even if packing failed: the pass's failure is rethrown by the pool, and no part may wait forever.
                states.set(g, packed);
            }
            return;
        }
        for (int spins = 0; states.get(g) != packed; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Small problems with B not transposed, and a transposed B one vector wide: the kernel reads A
     * (and B) where they are, with no blocking (everything fits in cache). Only a ragged last column
     * panel (or the narrow transposed B) is copied, so the kernel's full-width reads stay inside B;
     * and with AVX-512, a row-major A of 64 rows or more takes B 64 columns at a time, packed
     * ({@link #blockFourRows}).
     */
    private void blockInPlace(Operands o, int m0, int m1, int n0, int n1) {
        if (swapsNarrow(o, m1 - m0, n1 - n0)) {
            // Whole NR-row blocks swapped; the last rows (fewer) through the one-vector kernel below.
            int swapped = m0 + (m1 - m0) / NR * NR;
            blockNarrowSwapped(o, m0, swapped, n0, n1);
            m0 = swapped;
            if (m0 == m1) {
                return;
            }
        }
        if (takesFourRowTiles(o, m1 - m0, n1 - n0)) {
            // Whole blocks of WIDE columns in four-row tiles; the ragged rest as below.
            int wide = n0 + (n1 - n0) / WIDE * WIDE;
            blockFourRows(o, m0, m1, n0, wide);
            n0 = wide;
            if (n0 == n1) {
                return;
            }
        }
        Workspace ws = workspaces.get();
        int k = o.k;
        float[] bEdge = ws.b(k * NR);
        float[] tile = ws.tile;
        // Full tiles go straight into C when the store is a plain copy.
        boolean direct = o.alpha == 1f && o.beta == 0f;
        // The ragged last column panel, packed once for every row panel; a transposed B (at most one
        // panel wide) is all edge.
        int nFull = o.bCs == 1 ? n0 + (n1 - n0) / NR * NR : n0;
        if (nFull < n1) {
            GemmPacking.packB(o.b, o.bOff, o.bRs, o.bCs, 0, k, k, nFull, n1 - nFull, bEdge, 0, ws.gather, gathers);
        }
        // The last rows (fewer than a tile's) run through the same kernels, reading their last row again
        // for the rows they lack: kernels of their own for 4, 2 and 1 rows ran too seldom for the JIT to
        // compile them, and interpreted Vector API code allocates every vector (half a megabyte per
        // training step of a CNN).
        int height = inPlaceHeight(m1 - m0, k);
        float[] aPanel = height == 12 ? ws.a(k * PMR + L) : null;
        for (int i = m0; i < m1; i += height) {
            int rows = Math.min(height, m1 - i);
            int a0 = o.aOff + i * o.aRs;
            if (aPanel != null) {
                // The 12-row kernel reads A packed, one panel for all of B's columns.
                packTwelve(o.a, o.aOff, o.aRs, o.aCs, i, rows, k, aPanel);
            }
            for (int j = n0; j < n1; j += NR) {
                int nr = Math.min(NR, n1 - j);
                boolean edge = nr < NR || o.bCs != 1;
                float[] b = edge ? bEdge : o.b;
                int b0 = edge ? 0 : o.bOff + j;
                int bStep = edge ? NR : o.bRs;
                if (nr <= L) {
                    // The one-vector kernel is MR rows tall: a taller panel runs it in MR-row pieces. Its B is
                    // always the edge panel (nr < NR), rows NR apart.
                    for (int r = 0; r < rows; r += MR) {
                        int piece = Math.min(MR, rows - r);
                        GemmKernel.multiplyNarrow(k, piece, o.a, a0 + r * o.aRs, o.aRs, o.aCs, b, b0, tile);
                        store(o, tile, i + r, piece, j, nr, true, true);
                    }
                    continue;
                }
                // Full tiles straight into C when the store is a plain copy; the others through the tile.
                boolean full = rows == height && direct && nr == NR;
                float[] c = full ? o.c : tile;
                int c0 = full ? o.cOff + i * o.n + j : 0;
                int ldc = full ? o.n : NR;
                float[] bias = full ? o.bias : null;
                if (height == MR) {
                    GemmKernel.multiply(k, rows, o.a, a0, o.aRs, o.aCs, b, b0, bStep, c, c0, ldc, bias, o.biasOff + j);
                } else if (height == 12) {
                    GemmKernel.multiplyTwelve(k, aPanel, 0, b, b0, bStep, c, c0, ldc, bias, o.biasOff + j);
                } else if (o.aCs == 1) {
                    GemmKernel.multiplySixRowMajor(k, rows, o.a, a0, o.aRs, b, b0, bStep, c, c0, ldc, bias,
                            o.biasOff + j);
                } else {
                    GemmKernel.multiplySix(k, rows, o.a, a0, o.aRs, o.aCs, b, b0, bStep, c, c0, ldc, bias,
                            o.biasOff + j);
                }
                if (!full) {
                    store(o, tile, i, rows, j, nr, true, true);
                } else if (o.act != Activation.IDENTITY) {
                    activate(o, c0, rows, NR);
                }
            }
        }
    }

    /**
     * Whether a block of {@code rows} x {@code cols} runs its whole blocks of {@link #WIDE} columns as
     * {@link #blockFourRows}: with AVX-512 (where its 16 accumulators and four B vectors fit the
     * registers), a row-major A and B not transposed, where the in-place path would take 8-row panels
     * ({@link #inPlaceHeight}), from {@link #FOUR_ROW_PANELS} four-row panels, over which each packed B
     * panel is shared.
     */
    private static boolean takesFourRowTiles(Operands o, int rows, int cols) {
        return FOUR_ROWS_IN_PLACE && o.aCs == 1 && o.bCs == 1 && cols >= WIDE && rows >= FOUR_ROW_PANELS * 4
                && inPlaceHeight(rows, o.k) == MR;
    }

    /**
     * {@link #blockInPlace} for a row-major A and B not transposed ({@link #takesFourRowTiles}), n1 - n0
     * a multiple of {@link #WIDE}: WIDE columns at a time, B's two NR panels packed (k x NR each, rows
     * NR apart) and multiplied by every four rows of A read where they lie
     * ({@link GemmKernel#multiplyFourRows}), whose steps are all constants. Each element's sum is the
     * other in-place kernels', in the same order.
     */
    private void blockFourRows(Operands o, int m0, int m1, int n0, int n1) {
        Workspace ws = workspaces.get();
        int k = o.k;
        float[] bPanels = ws.b(k * WIDE);
        float[] tile = ws.tile;
        // Full tiles go straight into C when the store is a plain copy.
        boolean direct = o.alpha == 1f && o.beta == 0f;
        for (int j = n0; j < n1; j += WIDE) {
            GemmPacking.packB(o.b, o.bOff, o.bRs, o.bCs, 0, k, k, j, WIDE, bPanels, 0, ws.gather, gathers);
            for (int i = m0; i < m1; i += 4) {
                int rows = Math.min(4, m1 - i);
                int a0 = o.aOff + i * o.aRs;
                if (rows == 4 && direct) {
                    int c0 = o.cOff + i * o.n + j;
                    GemmKernel.multiplyFourRows(k, 4, o.a, a0, o.aRs, bPanels, 0, o.c, c0, o.n, NR, o.bias,
                            o.biasOff + j);
                    if (o.act != Activation.IDENTITY) {
                        activate(o, c0, 4, WIDE);
                    }
                } else {
                    // Through the tile buffer: the left NR columns' 4 rows at 0, the right ones' after them.
                    GemmKernel.multiplyFourRows(k, rows, o.a, a0, o.aRs, bPanels, 0, tile, 0, NR, 4 * NR, null, 0);
                    store(o, tile, 0, i, rows, j, NR, true, false);
                    store(o, tile, 4 * NR, i, rows, j + NR, NR, true, false);
                    if (o.act != Activation.IDENTITY) {
                        activate(o, o.cOff + i * o.n + j, rows, WIDE);
                    }
                }
            }
        }
    }

    /**
     * Whether a block of a narrow transposed B ({@code cols} at most 12 columns, a 10-class layer's
     * forward pass {@code x W^T}) and {@code rows} rows of a row-major A runs as {@link #blockNarrowSwapped}:
     * with AVX-512 (the 12-row in-place kernel and the 512-bit transposes) where the packs transpose in
     * registers rather than gather (AMD: measured on Zen 4 only; {@link #packsByGathers}), from
     * {@link #SWAP_ROWS} rows (its whole blocks of NR rows; the rest as before).
     */
    private boolean swapsNarrow(Operands o, int rows, int cols) {
        return narrowSwapped && o.bCs != 1 && o.aCs == 1 && cols <= 12 && rows >= SWAP_ROWS;
    }

    /**
     * C = op(A) B^T for a narrow B^T (at most 12 columns) and whole blocks of NR rows of a row-major A
     * ({@code m1 - m0} a multiple of NR), computed as its transpose, {@code C^T = B A^T}, a block at a
     * time: those rows transposed into a k x NR scratch ({@link GemmTranspose#rows8Pairs}), then B's
     * few rows as the in-place kernel's row panel (12 or 8 rows) against it, and the tile's columns
     * stored as C's rows with alpha, beta, the bias and the activation.
     *
     * <p>Why: the one-vector kernel that C = A B^T runs otherwise ({@link GemmKernel#multiplyNarrow})
     * loads a broadcast of A for every multiply-add, and on AMD Zen 4, which moves a 512-bit load a
     * cycle, it ran at about 1.6 cycles a multiply-add and with 10 of its 16 lanes used; swapped, the
     * 12-row kernel loads 14 vectors for 24 multiply-adds of 16 useful lanes. Each element is the same
     * sum in the same order (over all of k in one block, from zero, one fused multiply-add per p: a
     * product's factors commute exactly), and the store the same arithmetic as {@link GemmKernel#merge},
     * so the bits do not change.
     */
    private void blockNarrowSwapped(Operands o, int m0, int m1, int n0, int n1) {
        Workspace ws = workspaces.get();
        int k = o.k;
        int cols = n1 - n0;
        float[] at = ws.a(k * NR);
        float[] tile = ws.tile;
        int blocks = k / 16 * 2;
        float[] bPanel = null;
        if (cols > MR) {
            // B's rows n0 .. n1 - 1 are the 12-row kernel's A: one packed panel for every block of rows.
            bPanel = ws.b(k * PMR + L);
            packTwelve(o.b, o.bOff, o.bCs, o.bRs, n0, cols, k, bPanel);
        }
        for (int i0 = m0; i0 < m1; i0 += NR) {
            // A's rows i0 .. i0 + NR - 1 as the scratch's columns: 8 rows at a time in registers, and
            // the depth past the last pair of 8-column blocks one float at a time.
            for (int r = 0; r < NR; r += 8) {
                int src = o.aOff + (i0 + r) * o.aRs;
                GemmTranspose.rows8Pairs(o.a, src, o.aRs, blocks, at, r, NR);
                for (int p = blocks * 8; p < k; p++) {
                    for (int q = 0; q < 8; q++) {
                        at[p * NR + r + q] = o.a[src + q * o.aRs + p];
                    }
                }
            }
            if (bPanel != null) {
                GemmKernel.multiplyTwelve(k, bPanel, 0, at, 0, NR, tile, 0, NR, null, 0);
            } else {
                GemmKernel.multiply(k, cols, o.b, o.bOff + n0 * o.bCs, o.bCs, o.bRs, at, 0, NR, tile, 0, NR, null, 0);
            }
            for (int q = 0; q < NR; q++) {
                int ci = o.cOff + (i0 + q) * o.n + n0;
                for (int j = 0; j < cols; j++) {
                    float v = o.alpha * tile[j * NR + q];
                    if (o.beta != 0f) {
                        v += o.beta * o.c[ci + j];
                    }
                    if (o.bias != null) {
                        v += o.bias[o.biasOff + n0 + j];
                    }
                    o.c[ci + j] = v;
                }
            }
            if (o.act != Activation.IDENTITY) {
                activate(o, o.cOff + i0 * o.n + n0, NR, cols);
            }
        }
    }

    /**
     * Packs op(A)[i0 .. i0 + rows, 0 .. k] ({@code rows} at most 12; element (i, p) at
     * {@code a[off + i * rs + p * cs]}) into the panel {@link GemmKernel#multiplyTwelve} reads: (r, p) at
     * {@code dst[p * 12 + r]}, {@code dst} at least {@code 12 k + L} long. The panel's rows past
     * {@code rows} hold whatever is at hand (their sums are never stored). A transposed A (rs 1) moves a
     * vector per column, each store spilling onto the next column, which its own store then overwrites;
     * a row-major A (cs 1) is transposed 8 rows at a time in registers ({@link GemmTranspose#rows8Pairs}).
     * {@link GemmPacking#packA} writes the same panel for the packed kernels, but one float at a time
     * for a panel of fewer than 12 rows, which cost a 10-row product what the constant step saved.
     */
    private static void packTwelve(float[] a, int off, int rs, int cs, int i0, int rows, int k, float[] dst) {
        int src = off + i0 * rs;
        int p = 0;
        if (rs == 1) {
            // Whole vectors while the read stays inside the array; the rest one float at a time.
            int vectors = a.length - src >= L ? Math.min(k, (a.length - src - L) / cs + 1) : 0;
            for (; p < vectors; p++) {
                FloatVector.fromArray(Simd.F, a, src + p * cs).intoArray(dst, p * PMR);
            }
            for (; p < k; p++) {
                for (int r = 0; r < rows; r++) {
                    dst[p * PMR + r] = a[src + p * cs + r];
                }
            }
            return;
        }
        int r = 0;
        if (cs == 1) {
            int blocks = k / 16 * 2;
            for (; r + 8 <= rows; r += 8) {
                GemmTranspose.rows8Pairs(a, src + r * rs, rs, blocks, dst, r, PMR);
                for (int q = blocks * 8; q < k; q++) {
                    for (int i = 0; i < 8; i++) {
                        dst[q * PMR + r + i] = a[src + (r + i) * rs + q];
                    }
                }
            }
        }
        for (; r < rows; r++) {
            for (p = 0; p < k; p++) {
                dst[p * PMR + r] = a[src + r * rs + p * cs];
            }
        }
    }

    /**
     * Rows of the in-place kernel's panels for a share of {@code rows} rows and depth k: 6 with AVX2
     * where k is long ({@link GemmKernel#SIX_ROWS_IN_PLACE}); with AVX-512, 12 where 12-row panels
     * compute no more rows than 8-row ones (9 to 12 rows, 17 to 24, ...; {@link GemmKernel#multiplyTwelve}):
     * a 10-class layer's weight gradient (10 x 128 x 128) took 0.72 of the time, while 128 rows, which
     * 12-row panels would pad to 132, keep 8 (benchmarks/README.md). Which kernel computes a row never
     * changes the order of its sums.
     */
    private static int inPlaceHeight(int rows, int k) {
        if (GemmKernel.SIX_ROWS_IN_PLACE && k > SMALL_K) {
            return 6;
        }
        if (GemmKernel.TWELVE_ROWS_IN_PLACE && (rows + 11) / 12 * 12 <= (rows + MR - 1) / MR * MR) {
            return 12;
        }
        return MR;
    }

    /**
     * {@code C = A B^T} as dot products of rows ({@link GemmDot}), 4 x 4 elements at a time, then 4 x 1,
     * 1 x 4 and 1 x 1 at the ragged edges. Each finished block is stored with alpha, beta and the bias,
     * and each finished row block gets the activation.
     */
    private void blockDot(Operands o, int m0, int m1, int n0, int n1) {
        Workspace ws = workspaces.get();
        float[] out = ws.dots;
        float[] acc = ws.dotLanes;
        int k = o.k;
        int lda = o.aRs;
        int ldb = o.bCs;
        for (int i = m0; i < m1; ) {
            int rows = m1 - i >= GemmDot.BLOCK ? GemmDot.BLOCK : 1;
            int a0 = o.aOff + i * lda;
            for (int j = n0; j < n1; ) {
                int left = n1 - j;
                int cols = rows == 1 && left >= GemmDot.WIDE ? GemmDot.WIDE : left >= GemmDot.BLOCK ? GemmDot.BLOCK : 1;
                int b0 = o.bOff + j * ldb;
                if (cols == GemmDot.WIDE) {
                    GemmDot.dot1x16(k, o.a, a0, o.b, b0, ldb, acc);
                } else if (rows > 1 && cols > 1) {
                    GemmDot.dot4x4(k, o.a, a0, lda, o.b, b0, ldb, acc);
                } else if (rows > 1) {
                    GemmDot.dot4x1(k, o.a, a0, lda, o.b, b0, acc);
                } else if (cols > 1) {
                    GemmDot.dot1x4(k, o.a, a0, o.b, b0, ldb, acc);
                } else {
                    GemmDot.dot1x1(k, o.a, a0, o.b, b0, acc);
                }
                GemmDot.finish(k, o.a, a0, lda, o.b, b0, ldb, rows, cols, acc, out);
                storeDots(o, out, i, rows, j, cols);
                j += cols;
            }
            if (o.act != Activation.IDENTITY) {
                for (int r = 0; r < rows; r++) {
                    int c0 = o.cOff + (i + r) * o.n + n0;
                    VectorActivations.forward(o.act, o.actParam, n1 - n0, o.c, c0, o.c, c0);
                }
            }
            i += rows;
        }
    }

    /** Stores {@code out[r * 4 + c]} (r < rows, c < cols) at C[i + r, j + c]: alpha, beta and the bias as in merge. */
    private static void storeDots(Operands o, float[] out, int i, int rows, int j, int cols) {
        float[] c = o.c;
        float[] bias = o.bias;
        float alpha = o.alpha;
        float beta = o.beta;
        for (int r = 0; r < rows; r++) {
            int ci = o.cOff + (i + r) * o.n + j;
            for (int q = 0; q < cols; q++) {
                float v = alpha * out[r * GemmDot.BLOCK + q];
                if (beta != 0f) {
                    v += beta * c[ci + q];
                }
                if (bias != null) {
                    v += bias[o.biasOff + j + q];
                }
                c[ci + q] = v;
            }
        }
    }

    /** Stores a finished tile at C[i, j]: alpha and beta on the first K block, the epilogue on it and the last. */
    private static void store(Operands o, float[] tile, int i, int mr, int j, int nr, boolean first, boolean last) {
        store(o, tile, 0, i, mr, j, nr, first, last);
    }

    /** {@link #store} of a tile that starts at {@code t0} in {@code tile}. */
    private static void store(Operands o, float[] tile, int t0, int i, int mr, int j, int nr, boolean first,
            boolean last) {
        int c0 = o.cOff + i * o.n + j;
        float[] bias = first ? o.bias : null;
        GemmKernel.merge(tile, t0, mr, nr, o.alpha, first ? o.beta : 1f, bias, o.biasOff + j, o.c, c0, o.n);
        if (last && o.act != Activation.IDENTITY) {
            activate(o, c0, mr, nr);
        }
    }

    /** Applies the epilogue's activation to a finished tile of C, while it is still in L1. */
    private static void activate(Operands o, int c0, int mr, int nr) {
        for (int r = 0; r < mr; r++) {
            VectorActivations.forward(o.act, o.actParam, nr, o.c, c0 + r * o.n, o.c, c0 + r * o.n);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
