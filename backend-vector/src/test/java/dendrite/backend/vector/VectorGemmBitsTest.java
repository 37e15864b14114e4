package dendrite.backend.vector;

import static dendrite.backend.vector.GemmShapes.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.tensor.op.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order of each output element's sum is fixed by the shape and {@link VectorGemm#KC} alone:
 * the cache blocks (MC, the B block widths, chosen from the caches), the register tile (MR, NR) and
 * the thread count only decide which pass computes an element. Each product is
 * compared bit for bit with a plain loop that knows nothing of tiles: K blocks of equal size at
 * most KC, each summed from zero by fused multiply-adds in order, then {@code alpha * block} added
 * to C ({@code beta * C} with the first block). A change of the blocking or the tile that changed a
 * sum would fail here, whatever the machine's caches.
 */
class VectorGemmBitsTest {
    /** From the smallest caches CacheSizes accepts to the largest, and a typical machine. */
    private static final CacheSizes[] CACHES = {
        CacheSizes.DEFAULT, new CacheSizes(8 << 10, 128 << 10), new CacheSizes(48 << 10, 2 << 20),
        new CacheSizes(1 << 20, 64 << 20)};

    /**
     * m, n, k: small (in place), tall, wide (rows outer), deep (several K blocks), ragged; and large
     * enough for shared passes ({@link VectorGemm#SHARED_WORK}): several row blocks, few rows and wide
     * (column chunks, rows outer); a last row panel of four rows (the 4-row kernel); and a row-major A
     * read in place over three K blocks ({@code VectorGemm.aInPlace}, with 6-row panels), with a ragged
     * last row panel (five rows, packed) and last column panel (12 columns, and 4: the narrow kernel),
     * over K blocks of an odd depth (225, which the packed kernels pad with a zero row), and a dense
     * layer's forward pass on a batch of 128 (a last panel of two rows); with AVX-512, products of 10
     * and 20 rows in place (12-row panels, the second with an 8-row one and a narrow last column panel).
     */
    private static final int[][] SHAPES = {
        {7, 9, 40}, {64, 64, 64}, {37, 53, 700}, shared(200, 150, 1200), {5, 2100, 400}, {130, 70, 29},
        {300, 17, 337}, shared(301, 261, 500), shared(40, 2300, 400), {64, 96, 700}, {131, 60, 784}, {131, 100, 784},
        {131, 100, 675}, {128, 256, 784}, {10, 128, 128}, {20, 70, 50}};

    @Test
    void theCacheBlocksTheTileAndTheThreadsNeverChangeABit() {
        for (int[] shape : SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 31L + k, m * k);
            float[] b = random(n * 17L + k, k * n);
            float[] c = random(m + n, m * n);
            for (float[] ab : new float[][] {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}}) {
                float[] want = reference(m, n, k, ab[0], a, b, ab[1], c);
                for (CacheSizes caches : CACHES) {
                    for (int threads : new int[] {1, 2, 3}) {
                        try (Parallel pool = new Parallel(threads)) {
                            float[] got = c.clone();
                            new VectorGemm(pool, caches).gemm(false, false, m, n, k, ab[0], a, 0, b, 0, ab[1], got, 0,
                                    null, 0, Activation.IDENTITY, 0f);
                            for (int i = 0; i < want.length; i++) {
                                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                        () -> m + "x" + n + "x" + k + " alpha " + ab[0] + " beta " + ab[1] + ", caches "
                                                + caches + ", " + threads + " threads: element differs from the"
                                                + " KC-blocked sum");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dendrite.gemm.rowsOuter} turns the rows-outer loop order on where the caches would not
     * choose it and off where they would, and either way each element keeps the KC-blocked sum's bits:
     * C 2,100 and 2,300 wide, on one thread and in shared passes on two.
     */
    @Test
    void theLoopOrderPropertyChangesTheOrderAndNotABit() {
        CacheSizes small = new CacheSizes(32 << 10, 512 << 10);
        CacheSizes large = new CacheSizes(48 << 10, 2 << 20);
        for (int[] shape : new int[][] {{5, 2100, 400}, shared(40, 2300, 400)}) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 31L + k, m * k);
            float[] b = random(n * 17L + k, k * n);
            float[] want = reference(m, n, k, 1f, a, b, 0f, new float[m * n]);
            for (String value : new String[] {"true", "false"}) {
                for (CacheSizes caches : new CacheSizes[] {small, large}) {
                    for (int threads : new int[] {1, 2}) {
                        System.setProperty(VectorGemm.ROWS_OUTER_PROPERTY, value);
                        VectorGemm gemm;
                        try (Parallel pool = new Parallel(threads)) {
                            gemm = new VectorGemm(pool, caches);
                            System.clearProperty(VectorGemm.ROWS_OUTER_PROPERTY);
                            assertEquals(value.equals("true"), gemm.blocking().contains("rows outer"),
                                    () -> value + " on " + caches + ": " + gemm.blocking());
                            float[] got = new float[m * n];
                            gemm.gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, got, 0, null, 0, Activation.IDENTITY, 0f);
                            for (int i = 0; i < want.length; i++) {
                                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                        m + "x" + n + "x" + k + " rows outer " + value + ", " + caches + ", " + threads
                                                + " threads: element " + i + " differs from the KC-blocked sum");
                            }
                        } finally {
                            System.clearProperty(VectorGemm.ROWS_OUTER_PROPERTY);
                        }
                    }
                }
            }
            // Unset, the caches choose: rows outer with the large L2 and L1 only.
            try (Parallel pool = new Parallel(1)) {
                assertEquals(false, new VectorGemm(pool, small).blocking().contains("rows outer"));
                assertEquals(true, new VectorGemm(pool, large).blocking().contains("rows outer"));
            }
        }
    }

    /**
     * A batched product shares its products out over the threads (small ones whole, large ones split
     * one at a time), and each product keeps the bits it has alone on one thread: small products
     * shared out, an attention-sized batch, and products large enough to be split themselves, in
     * every transpose combination.
     */
    @Test
    void aBatchedProductHasTheBitsOfEachProductAloneOnOneThread() {
        int[][] shapes = {{5, 16, 24, 8}, {12, 33, 33, 16}, {3, 100, 100, 100}, {2, 200, 150, 1000}};
        for (int[] shape : shapes) {
            int batch = shape[0], m = shape[1], n = shape[2], k = shape[3];
            float[] a = random(m * 7L + k, batch * m * k);
            float[] b = random(n * 11L + k, batch * k * n);
            float[] c = random(m + n + 1, batch * m * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                float[] want = c.clone();
                try (Parallel one = new Parallel(1)) {
                    VectorGemm alone = new VectorGemm(one, CacheSizes.DEFAULT);
                    for (int i = 0; i < batch; i++) {
                        alone.gemm(transA, transB, m, n, k, 0.5f, a, i * m * k, b, i * k * n, 1f, want, i * m * n,
                                null, 0, Activation.IDENTITY, 0f);
                    }
                }
                for (int threads : new int[] {1, 2, 3}) {
                    try (Parallel pool = new Parallel(threads)) {
                        float[] got = c.clone();
                        new VectorGemm(pool, CacheSizes.DEFAULT).batchedGemm(transA, transB, batch, m, n, k, 0.5f, a, 0,
                                b, 0, 1f, got, 0);
                        for (int i = 0; i < want.length; i++) {
                            int at = i;
                            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                    () -> batch + " x " + m + "x" + n + "x" + k + " transA " + transA + " transB " + transB
                                            + ", " + threads + " threads: element " + at + " differs from the product"
                                            + " computed alone");
                        }
                    }
                }
            }
        }
    }

    /**
     * The transposing packs (a transposed B, a row-major A) by gathers or without them (transposes in
     * registers and copies; chosen from the CPU, see {@link VectorGemm#packsByGathers}) give the same
     * panels, so every transpose combination gives the same bits both ways: on the packed path, in
     * shared passes, narrow and ragged, with A smaller and larger than L2 (GemmPackingTest compares the
     * panels themselves).
     */
    @Test
    void packingByGathersOrWithoutNeverChangesABit() {
        int[][] shapes = {{37, 53, 700}, shared(200, 150, 1200), shared(40, 2300, 400), {130, 70, 29},
            shared(301, 261, 500), {64, 12, 400}, {600, 40, 500}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 13L + k, m * k);
            float[] b = random(n * 29L + k, k * n);
            float[] c = random(m + n + 2, m * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                for (int threads : new int[] {1, 2}) {
                    try (Parallel pool = new Parallel(threads)) {
                        float[] byGathers = c.clone();
                        float[] byCopies = c.clone();
                        new VectorGemm(pool, CacheSizes.DEFAULT, true).gemm(transA, transB, m, n, k, 0.5f, a, 0, b, 0,
                                1f, byGathers, 0, null, 0, Activation.IDENTITY, 0f);
                        new VectorGemm(pool, CacheSizes.DEFAULT, false).gemm(transA, transB, m, n, k, 0.5f, a, 0, b, 0,
                                1f, byCopies, 0, null, 0, Activation.IDENTITY, 0f);
                        for (int i = 0; i < byGathers.length; i++) {
                            int at = i;
                            assertEquals(Float.floatToRawIntBits(byGathers[i]), Float.floatToRawIntBits(byCopies[i]),
                                    () -> m + "x" + n + "x" + k + " transA " + transA + " transB " + transB + ", "
                                            + threads + " threads: element " + at
                                            + " differs between packing by gathers and without");
                        }
                    }
                }
            }
        }
    }

    /**
     * Products of 9 to 12 rows (and 17 to 24) run the 12-row in-place kernel with AVX-512, which reads A
     * as a packed panel ({@code VectorGemm.packTwelve}: a vector a column for a transposed A, 8 x 8
     * transposes for a row-major one): with every transpose combination, alpha and beta, by gathers or
     * not, on 1 and 2 threads, each element is the plain loop's sum (k below KC: one block).
     */
    @Test
    void productsOfTwelveRowsGiveThePlainLoopsBits() {
        int[][] shapes = {{10, 128, 128}, {20, 70, 50}, {12, 37, 300}, {9, 200, 33}, {24, 64, 17}, {11, 40, 16}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 19L + k, m * k);
            float[] b = random(n * 23L + k, k * n);
            float[] c = random(m + n + 3, m * n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                float[] want = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float sum = 0f;
                        for (int p = 0; p < k; p++) {
                            sum = Math.fma(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j], sum);
                        }
                        want[i * n + j] = 0.5f * sum + 0.25f * c[i * n + j];
                    }
                }
                for (boolean gathers : new boolean[] {true, false}) {
                    for (int threads : new int[] {1, 2}) {
                        try (Parallel pool = new Parallel(threads)) {
                            float[] got = c.clone();
                            new VectorGemm(pool, CacheSizes.DEFAULT, gathers).gemm(transA, transB, m, n, k, 0.5f, a, 0,
                                    b, 0, 0.25f, got, 0, null, 0, Activation.IDENTITY, 0f);
                            for (int i = 0; i < want.length; i++) {
                                int at = i;
                                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                        () -> m + "x" + n + "x" + k + " transA " + transA + " transB " + transB
                                                + ", gathers " + gathers + ", " + threads + " threads: element " + at
                                                + " differs from the plain loop's sum");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A product whose C is larger than L2 and several K blocks deep carries its partial sums between
     * the K blocks in a buffer in tile order ({@code VectorGemm.packedC}) and adds the last block's in
     * C: the same sums in the same order as in C itself, with a bias and an activation, A packed and
     * read in place, ragged edges (whose tiles keep their sums in C), every transpose combination,
     * one thread (the GotoBLAS loops) and two or three (shared passes), B packed in each call or
     * beforehand or by a panel packer (a convolution's columns), A also packed beforehand.
     */
    @Test
    void carryingPartialSumsInTileOrderNeverChangesABit() {
        // 301 x 261 x 500: rows of A 2,000 bytes apart, read in place; 200 x 700 x 1030: A packed, four
        // K blocks; 64 x 2100 x 400: few rows, wide, two K blocks.
        int[][] shapes = {shared(301, 261, 500), shared(200, 700, 1030), shared(64, 2100, 400)};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 11L + k, m * k);
            float[] b = random(n * 23L + k, k * n);
            float[] bias = random(n + 3, n);
            for (CacheSizes caches : new CacheSizes[] {CacheSizes.DEFAULT, new CacheSizes(8 << 10, 128 << 10)}) {
                for (int t = 0; t < 4; t++) {
                    boolean transA = (t & 1) != 0, transB = (t & 2) != 0;
                    for (int threads : new int[] {1, 2, 3}) {
                        try (Parallel pool = new Parallel(threads)) {
                            VectorGemm inC = new VectorGemm(pool, caches, false, false);
                            VectorGemm inTileOrder = new VectorGemm(pool, caches, false, true);
                            float[] want = new float[m * n];
                            float[] got = new float[m * n];
                            inC.gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0f, want, 0, bias, 0, Activation.RELU,
                                    0f);
                            inTileOrder.gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0f, got, 0, bias, 0,
                                    Activation.RELU, 0f);
                            float[] packed = new float[inTileOrder.packedBSize(n, k)];
                            inTileOrder.packB(transB, n, k, b, 0, packed, 0);
                            float[] prepacked = new float[m * n];
                            if (!transA) {
                                inTileOrder.gemmPrepackedB(transB, m, n, k, 1f, a, 0, b, 0, packed, 0, 0f, prepacked, 0,
                                        bias, 0, Activation.RELU, 0f);
                            }
                            float[] plain = new float[m * n];
                            float[] byPanels = new float[m * n];
                            float[] byPanelsPackedA = new float[m * n];
                            if (!transB) {
                                inC.gemm(transA, false, m, n, k, 1f, a, 0, b, 0, 0f, plain, 0, null, 0,
                                        Activation.IDENTITY, 0f);
                                VectorGemm.BPanels panels = (p0, kb, j0, nb, dst, dstOff, index) -> GemmPacking.packB(
                                        b, 0, n, 1, p0, kb, j0, nb, dst, dstOff, index, false);
                                inTileOrder.gemmPanels(transA, m, n, k, a, 0, null, 0, panels, 0f, byPanels, 0);
                                float[] aPacked = new float[inTileOrder.packedASize(m, k)];
                                inTileOrder.packA(transA, m, k, a, 0, aPacked, 0);
                                inTileOrder.gemmPanels(transA, m, n, k, a, 0, aPacked, 0, panels, 0f, byPanelsPackedA, 0);
                            }
                            for (int i = 0; i < want.length; i++) {
                                int at = i;
                                String where = m + "x" + n + "x" + k + " transA " + transA + " transB " + transB
                                        + ", caches " + caches + ", " + threads + " threads: element " + at;
                                if (!transB) {
                                    assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(byPanels[i]),
                                            () -> where + " differs with B packed by a panel packer");
                                    assertEquals(Float.floatToRawIntBits(plain[i]),
                                            Float.floatToRawIntBits(byPanelsPackedA[i]),
                                            () -> where + " differs with A packed beforehand");
                                }
                                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                        () -> where + " differs with the partial sums in tile order");
                                if (!transA) {
                                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(prepacked[i]),
                                            () -> where + " differs with B packed beforehand");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * B packed beforehand ({@link VectorGemm#packB}, a predictor's weights) gives the bits of packing it
     * in each call, on every path (a few rows, narrow, small in place, packed, shared passes, which with
     * prepacked B run every K block of a part at once), with alpha, beta, a bias and an activation, on
     * 1 to 3 threads.
     */
    @Test
    void prepackedBGivesTheBitsOfPackingInEachCall() {
        int[][] shapes = {{1, 256, 784}, {5, 40, 300}, {64, 256, 784}, {64, 128, 256}, {64, 10, 128},
            shared(200, 300, 700), shared(37, 2400, 400), {30, 20, 20}, {600, 40, 500}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 7L + k, m * k);
            float[] b = random(n * 31L + k, k * n);
            float[] c = random(m + n + 5, m * n);
            float[] bias = random(n + 9, n);
            for (boolean transB : new boolean[] {true, false}) {
                for (int threads : new int[] {1, 2, 3}) {
                    try (Parallel pool = new Parallel(threads)) {
                        VectorGemm gemm = new VectorGemm(pool, CacheSizes.DEFAULT);
                        float[] packed = new float[gemm.packedBSize(n, k)];
                        gemm.packB(transB, n, k, b, 0, packed, 0);
                        float[] perCall = c.clone();
                        float[] prepacked = c.clone();
                        gemm.gemm(false, transB, m, n, k, 0.5f, a, 0, b, 0, 0.25f, perCall, 0, bias, 0,
                                Activation.RELU, 0f);
                        gemm.gemmPrepackedB(transB, m, n, k, 0.5f, a, 0, b, 0, packed, 0, 0.25f, prepacked, 0, bias, 0,
                                Activation.RELU, 0f);
                        for (int i = 0; i < perCall.length; i++) {
                            int at = i;
                            assertEquals(Float.floatToRawIntBits(perCall[i]), Float.floatToRawIntBits(prepacked[i]),
                                    () -> m + "x" + n + "x" + k + " transB " + transB + ", " + threads
                                            + " threads: element " + at + " differs with B packed beforehand");
                        }
                    }
                }
            }
        }
    }

    /**
     * A transposed B at most 16 columns wide (a 10-class layer's forward pass) is read in place and each
     * element summed in one block, with 256- and 512-bit vectors alike: until this was pinned, AVX2
     * packed 9 to 16 columns in K blocks, and an inner dimension over KC then gave other bits than
     * AVX-512. With AVX-512 and packs that transpose in registers (no gathers), up to 12 columns run
     * swapped ({@code VectorGemm.blockNarrowSwapped}: whole blocks of 32 rows, the rest through the
     * one-vector kernel), with the same bits and the same epilogue (alpha, beta, the bias, the activation).
     */
    @Test
    void aNarrowTransposedBIsSummedInOneBlockOnEveryVectorWidth() {
        for (int n : new int[] {3, 8, 10, 12, 16}) {
            for (int m : new int[] {70, 300}) {
                int k = 2 * VectorGemm.KC + 5;
                float[] a = random(n * 3L + m, m * k);
                float[] bt = random(n * 5L, n * k);   // B stored [n, k]: op(B) = B^T
                float[] c = random(n * 7L + m, m * n);
                float[] bias = random(n * 11L, n);
                for (boolean epilogue : new boolean[] {false, true}) {
                    float alpha = epilogue ? 0.5f : 1f;
                    float beta = epilogue ? 0.25f : 0f;
                    float[] want = oneBlock(m, n, k, a, bt, 1, k, alpha, beta, c, epilogue ? bias : null);
                    for (boolean gathers : new boolean[] {true, false}) {
                        for (int threads : new int[] {1, 2}) {
                            try (Parallel pool = new Parallel(threads)) {
                                float[] got = c.clone();
                                new VectorGemm(pool, CacheSizes.DEFAULT, gathers).gemm(false, true, m, n, k, alpha, a, 0,
                                        bt, 0, beta, got, 0, epilogue ? bias : null, 0,
                                        epilogue ? Activation.RELU : Activation.IDENTITY, 0f);
                                for (int i = 0; i < want.length; i++) {
                                    int at = i;
                                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                            () -> m + "x" + n + "x" + k + " with B transposed, epilogue " + epilogue
                                                    + ", gathers " + gathers + ", " + threads + " threads: element "
                                                    + at + " differs from the sum in one block");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A row-major A and B not transposed, in place (a short inner dimension, or few multiply-adds) with
     * 64 rows or more: with AVX-512 each whole block of 64 columns runs in four-row tiles from B packed
     * per block ({@code VectorGemm.blockFourRows}), the ragged rest of the columns through the other
     * in-place kernels. Rows not a multiple of four (the last tile through the tile buffer), 64 columns
     * exactly, a block and a narrow rest, a block and a full panel and a narrow rest, k = 1; the plain
     * store, the bias and ReLU, and alpha, beta, the bias and ReLU; 1 to 3 threads (products large
     * enough to be split by rows, or by columns into parts that end in half a block). Each element is
     * the plain loop's sum.
     */
    @Test
    void fourRowTilesOfARowMajorAGiveThePlainLoopsBits() {
        int[][] shapes = {{128, 128, 10}, {67, 64, 29}, {130, 70, 17}, {65, 100, 1}, {64, 200, 20}, {64, 64, 27},
            {256, 1024, 10}, {257, 256, 16}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            float[] a = random(m * 13L + k, m * k);
            float[] b = random(n * 29L + k, k * n);
            float[] c = random(m + n + 5, m * n);
            float[] bias = random(n * 31L, n);
            // A plain store; the bias and ReLU with the store from the registers (alpha 1, beta 0); and
            // alpha, beta, the bias and ReLU, through the tile buffer.
            for (int mode = 0; mode < 3; mode++) {
                boolean epilogue = mode > 0;
                float alpha = mode == 2 ? 0.5f : 1f;
                float beta = mode == 2 ? 0.25f : 0f;
                float[] want = oneBlock(m, n, k, a, b, n, 1, alpha, beta, c, epilogue ? bias : null);
                for (int threads : new int[] {1, 2, 3}) {
                    try (Parallel pool = new Parallel(threads)) {
                        float[] got = c.clone();
                        new VectorGemm(pool, CacheSizes.DEFAULT).gemm(false, false, m, n, k, alpha, a, 0, b, 0, beta,
                                got, 0, epilogue ? bias : null, 0, epilogue ? Activation.RELU : Activation.IDENTITY,
                                0f);
                        for (int i = 0; i < want.length; i++) {
                            int at = i;
                            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                    () -> m + "x" + n + "x" + k + ", alpha " + alpha + " beta " + beta + ", epilogue "
                                            + epilogue + ", " + threads + " threads: element " + at
                                            + " differs from the plain loop's sum");
                        }
                    }
                }
            }
        }
    }

    /**
     * A row-major A read in place in K blocks of odd depth (225 of 675) takes each block's own steps,
     * not the packed panels' depth: an infinity in the first column of the next block must meet only
     * its own block's row of B, never the zero row that pads the packed B panels (infinity times zero
     * is NaN, where the true sums are infinite), on one thread and on two. (Without the infinities the
     * extra step would add zeros and change no bit.)
     */
    @Test
    void anOddKBlockReadInPlaceStopsAtItsLastColumn() {
        int m = 131, n = 100, k = 675;
        float[] a = random(41, m * k);
        a[7 * k + 225] = Float.POSITIVE_INFINITY;   // rows of full 6-row panels, one infinity each,
        a[60 * k + 450] = Float.NEGATIVE_INFINITY;  // so that the true sums are infinite, not NaN
        float[] b = random(43, k * n);
        float[] c = new float[m * n];
        float[] want = reference(m, n, k, 1f, a, b, 0f, c);
        for (int threads : new int[] {1, 2}) {
            try (Parallel pool = new Parallel(threads)) {
                float[] got = new float[m * n];
                new VectorGemm(pool, CacheSizes.DEFAULT).gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, got, 0, null, 0,
                        Activation.IDENTITY, 0f);
                for (int i = 0; i < want.length; i++) {
                    int at = i;
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                            () -> threads + " threads: element " + at + " differs from the KC-blocked sum");
                }
            }
        }
    }

    /**
     * C = alpha A B + beta C summed as the GEMM promises: products small in any dimension (at most
     * 48^3 multiply-adds, at most 16 rows, or an inner dimension of at most 32) are read in place
     * and summed in one block; the others are packed, in K blocks of equal size, at most
     * VectorGemm.KC. Both rules depend on the shape alone.
     */
    static float[] reference(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
        boolean inPlace = (long) m * n * k <= 48L * 48 * 48 || m <= 2 * GemmKernel.MR || k <= 32;
        int blocks = inPlace ? 1 : (k + VectorGemm.KC - 1) / VectorGemm.KC;
        int kb = (k + blocks - 1) / blocks;
        float[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float v = out[i * n + j];
                for (int p0 = 0; p0 < k; p0 += kb) {
                    float sum = 0f;
                    for (int p = p0; p < Math.min(k, p0 + kb); p++) {
                        sum = Math.fma(a[i * k + p], b[p * n + j], sum);
                    }
                    float block = alpha == 1f ? sum : alpha * sum;
                    if (p0 > 0) {
                        v = block + v;
                    } else {
                        v = beta == 0f ? block : beta == 1f ? block + v : block + beta * v;
                    }
                }
                out[i * n + j] = v;
            }
        }
        return out;
    }

    /**
     * alpha A op(B) summed over all of k in one block, op(B)'s element (p, j) at
     * {@code b[p * bRs + j * bCs]}; with a bias (else C is not read): plus beta C, plus the bias, then ReLU.
     */
    private static float[] oneBlock(int m, int n, int k, float[] a, float[] b, int bRs, int bCs, float alpha,
            float beta, float[] c, float[] bias) {
        float[] want = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[i * k + p], b[p * bRs + j * bCs], sum);
                }
                float v = alpha * sum;
                if (bias != null) {
                    v += beta * c[i * n + j];
                    v = Math.max(v + bias[j], 0f);
                }
                want[i * n + j] = v;
            }
        }
        return want;
    }

    private static float[] random(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[(int) n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }
}
