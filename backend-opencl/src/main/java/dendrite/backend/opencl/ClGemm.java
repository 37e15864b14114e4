package dendrite.backend.opencl;

import org.jocl.cl_mem;

import dendrite.tensor.op.Activation;

/**
 * Chooses and launches a GEMM kernel from {@code kernels/gemm.cl}: the register-blocked,
 * local-memory-tiled kernel for shapes that fill its tiles (its float4-loading variant when every
 * dimension, offset and leading dimension allows), the guarded direct kernel otherwise, as CLBlast
 * splits its "xgemm" and "xgemm_direct". Bias and activation are applied in the store.
 */
final class ClGemm {

    /**
     * Tile sizes, compiled into the kernels: a work-group computes {@code tsM x tsN} outputs with
     * {@code (tsM/wptM) x (tsN/wptN)} work-items, stepping K by {@code tsK}. The default 64 x 64 x 16
     * with 4 x 4 per work-item (256 work-items) suits most GPUs and PoCL; on a large GPU,
     * {@code -Ddendrite.opencl.gemm.tiles=128,128,16,8,8} may be faster.
     */
    record Tiles(int tsM, int tsN, int tsK, int wptM, int wptN) {
        static final Tiles DEFAULT = new Tiles(64, 64, 16, 4, 4);
        static final String PROPERTY = "dendrite.opencl.gemm.tiles";

        Tiles {
            if (tsM % wptM != 0 || tsN % wptN != 0 || tsM % 4 != 0 || tsN % 4 != 0 || tsK % 4 != 0) {
                throw new IllegalArgumentException("-D" + PROPERTY + ": tiles " + tsM + "x" + tsN + "x" + tsK
                        + " must be multiples of 4 and of the work per item " + wptM + "x" + wptN);
            }
        }

        /** The tiles named by {@value #PROPERTY}, else {@link #DEFAULT}. */
        static Tiles fromProperty() {
            String s = System.getProperty(PROPERTY);
            if (s == null || s.isBlank()) {
                return DEFAULT;
            }
            String[] p = s.split(",");
            if (p.length != 5) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + s + ": expected TS_M,TS_N,TS_K,WPT_M,WPT_N");
            }
            return new Tiles(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()),
                    Integer.parseInt(p[3].trim()), Integer.parseInt(p[4].trim()));
        }

        int groupX() {
            return tsN / wptN;
        }

        int groupY() {
            return tsM / wptM;
        }

        String defines() {
            return "-DTS_M=" + tsM + " -DTS_N=" + tsN + " -DTS_K=" + tsK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN;
        }

        @Override
        public String toString() {
            return tsM + "x" + tsN + "x" + tsK + " tiles, " + wptM + "x" + wptN + " per work-item";
        }
    }

    /** Work-group of the direct kernel: 16 x 16. */
    static final int DIRECT_GROUP = 16;

    /** A device operand: buffer, element offset and row length (the leading dimension). */
    record Operand(cl_mem mem, int offset, int ld) {
    }

    /**
     * How many products one launch computes, and how far apart (in values) consecutive products'
     * A, B and C are: the launch's third dimension numbers them.
     */
    record Batch(int count, int strideA, int strideB, int strideC) {
        /** A single product: a 2-D launch. */
        static final Batch ONE = new Batch(1, 0, 0, 0);
    }

    private final Tiles tiles;

    ClGemm(Tiles tiles) {
        this.tiles = tiles;
    }

    Tiles tiles() {
        return tiles;
    }

    /** Whether the tiled kernel is used for this shape: at least half a tile each way. */
    boolean tiled(int m, int n, int k) {
        return m >= tiles.tsM / 2 && n >= tiles.tsN / 2 && k >= tiles.tsK;
    }

    /** Whether the float4 variant applies: whole tiles, and 16-byte-aligned rows in every product. */
    boolean vectorizable(int m, int n, int k, Operand a, Operand b, Batch batch) {
        return m % tiles.tsM == 0 && n % tiles.tsN == 0 && k % tiles.tsK == 0 && a.offset % 4 == 0
                && b.offset % 4 == 0 && a.ld % 4 == 0 && b.ld % 4 == 0 && batch.strideA % 4 == 0
                && batch.strideB % 4 == 0;
    }

    /**
     * Enqueues {@code C = act(alpha op(A) op(B) + beta C + bias)}; {@code bias} may be null.
     * Operands' {@code ld} are their stored row lengths.
     */
    void enqueue(Launcher launcher, boolean transA, boolean transB, int m, int n, int k, float alpha, Operand a,
            Operand b, float beta, Operand c, Operand bias, Activation act, float actParam) {
        enqueue(launcher, Batch.ONE, transA, transB, m, n, k, alpha, a, b, beta, c, bias, act, actParam);
    }

    /**
     * Enqueues {@code batch.count()} products {@code C[g] = act(alpha op(A[g]) op(B[g]) + beta C[g] + bias)}
     * in one launch, product g's operands {@code g} strides after the first's; {@code bias} may be null.
     */
    void enqueue(Launcher launcher, Batch batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
            Operand a, Operand b, float beta, Operand c, Operand bias, Activation act, float actParam) {
        Operand bs = bias != null ? bias : c; // an unused argument still needs a valid buffer
        Launch launch;
        long gx;
        long gy;
        int group;
        if (tiled(m, n, k)) {
            String name = "gemm_tiled_" + (transA ? "t" : "n") + (transB ? "t" : "n")
                    + (vectorizable(m, n, k, a, b, batch) ? "_v" : "");
            launch = launcher.launch("gemm", name)
                    .i(m).i(n).i(k).f(alpha).mem(a.mem).i(a.offset).i(a.ld).mem(b.mem).i(b.offset).i(b.ld);
            gx = Launch.roundUp(n, tiles.tsN) / tiles.wptN;
            gy = Launch.roundUp(m, tiles.tsM) / tiles.wptM;
            group = -1;
        } else {
            // op(A)[i][p] = A[i * sai + p * sap]; op(B)[p][j] = B[p * sbp + j * sbj].
            int sai = transA ? 1 : a.ld, sap = transA ? a.ld : 1;
            int sbp = transB ? 1 : b.ld, sbj = transB ? b.ld : 1;
            launch = launcher.launch("gemm", "gemm_direct")
                    .i(m).i(n).i(k).f(alpha).mem(a.mem).i(a.offset).i(sai).i(sap).mem(b.mem).i(b.offset).i(sbp).i(sbj);
            gx = n;
            gy = m;
            group = DIRECT_GROUP;
        }
        launch.f(beta).mem(c.mem).i(c.offset).i(bias != null).mem(bs.mem).i(bs.offset).i(act.ordinal()).f(actParam)
                .i(batch.strideA).i(batch.strideB).i(batch.strideC);
        int lx = group > 0 ? group : tiles.groupX();
        int ly = group > 0 ? group : tiles.groupY();
        if (batch.count == 1) {
            launch.run2(gx, gy, lx, ly);
        } else {
            launch.run3(gx, gy, batch.count, lx, ly);
        }
    }

    /** Makes a {@link Launch} for a kernel of a program. */
    @FunctionalInterface
    interface Launcher {
        Launch launch(String program, String kernel);
    }
}
