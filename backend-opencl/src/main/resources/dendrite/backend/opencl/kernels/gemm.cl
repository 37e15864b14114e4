// GEMM: C = act(alpha * op(A) op(B) + beta * C + bias), op(A) [M, K], op(B) [K, N], all row-major.
//
// gemm_tiled_*: each work-group computes a TS_M x TS_N block of C with (TS_M/WPT_M) x (TS_N/WPT_N)
// work-items; each work-item keeps WPT_M x WPT_N outputs in registers (rows ty + w * RTS_M, columns
// tx + w * RTS_N, so neighbouring work-items store neighbouring addresses). K advances TS_K at a
// time through tiles of A and B in local memory, loaded so that neighbouring work-items read
// neighbouring addresses whatever the transposition. The _v variants load float4 and need every
// dimension a multiple of its tile, and offsets and leading dimensions multiples of 4; the others
// guard every load (zeros outside) and store, so any shape is correct.
// gemm_direct: one work-item per output, for small or thin shapes where tiles would be mostly empty.
// Batched: the launch's third dimension numbers the products of a batch, product g reading A, B and C
// g * sa, g * sb and g * sc values further on (a 2-D launch is the one product g = 0).
//
// Tile sizes are -D options (ClGemm); the epilogue (alpha, beta, bias, activation) is fused into the store.

#define RTS_M (TS_M / WPT_M)
#define RTS_N (TS_N / WPT_N)
#define NT (RTS_M * RTS_N)
// Row lengths of the local tiles, one more than the tile so that work-items storing down a column
// (k varying fastest) hit different local-memory banks.
#define LDA_S (TS_M + 1)
#define LDB_S (TS_N + 1)

// op(A)[i][p] and op(B)[p][j] for A [M, K] (or [K, M] transposed) and B [K, N] (or [N, K]).
#define A_AT(ta, i, p) ((ta) ? A[ao + (p) * lda + (i)] : A[ao + (i) * lda + (p)])
#define B_AT(tb, p, j) ((tb) ? B[bo + (j) * ldb + (p)] : B[bo + (p) * ldb + (j)])

inline void load_tiles(global const float* A, int ao, int lda, global const float* B, int bo, int ldb,
                       int M, int N, int K, int m0, int n0, int k0, local float* As, local float* Bs,
                       const int ta, const int tb, const int vec) {
    int tid = get_local_id(1) * RTS_N + get_local_id(0);
    if (vec) {
        // float4 along whichever dimension is contiguous in memory; no guards needed.
        for (int e = tid; e < TS_K * TS_M / 4; e += NT) {
            if (ta) {  // contiguous along i
                int p = e / (TS_M / 4), i = (e % (TS_M / 4)) * 4;
                float4 v = vload4(0, A + ao + (k0 + p) * lda + m0 + i);
                As[p * LDA_S + i] = v.x; As[p * LDA_S + i + 1] = v.y; As[p * LDA_S + i + 2] = v.z; As[p * LDA_S + i + 3] = v.w;
            } else {   // contiguous along p
                int i = e / (TS_K / 4), p = (e % (TS_K / 4)) * 4;
                float4 v = vload4(0, A + ao + (m0 + i) * lda + k0 + p);
                As[p * LDA_S + i] = v.x; As[(p + 1) * LDA_S + i] = v.y; As[(p + 2) * LDA_S + i] = v.z; As[(p + 3) * LDA_S + i] = v.w;
            }
        }
        for (int e = tid; e < TS_K * TS_N / 4; e += NT) {
            if (tb) {  // contiguous along p
                int j = e / (TS_K / 4), p = (e % (TS_K / 4)) * 4;
                float4 v = vload4(0, B + bo + (n0 + j) * ldb + k0 + p);
                Bs[p * LDB_S + j] = v.x; Bs[(p + 1) * LDB_S + j] = v.y; Bs[(p + 2) * LDB_S + j] = v.z; Bs[(p + 3) * LDB_S + j] = v.w;
            } else {   // contiguous along j
                int p = e / (TS_N / 4), j = (e % (TS_N / 4)) * 4;
                float4 v = vload4(0, B + bo + (k0 + p) * ldb + n0 + j);
                Bs[p * LDB_S + j] = v.x; Bs[p * LDB_S + j + 1] = v.y; Bs[p * LDB_S + j + 2] = v.z; Bs[p * LDB_S + j + 3] = v.w;
            }
        }
    } else {
        for (int e = tid; e < TS_K * TS_M; e += NT) {
            int i = ta ? e % TS_M : e / TS_K;
            int p = ta ? e / TS_M : e % TS_K;
            int gi = m0 + i, gp = k0 + p;
            As[p * LDA_S + i] = (gi < M && gp < K) ? A_AT(ta, gi, gp) : 0.0f;
        }
        for (int e = tid; e < TS_K * TS_N; e += NT) {
            int j = tb ? e / TS_K : e % TS_N;
            int p = tb ? e % TS_K : e / TS_N;
            int gj = n0 + j, gp = k0 + p;
            Bs[p * LDB_S + j] = (gj < N && gp < K) ? B_AT(tb, gp, gj) : 0.0f;
        }
    }
}

inline float epilogue(float acc, float alpha, float beta, global const float* C, int ci,
                      int has_bias, global const float* bias, int bi, int act, float act_param) {
    float r = alpha * acc;
    if (beta != 0.0f) r += beta * C[ci];  // beta == 0 ignores C, even NaN, as BLAS does
    if (has_bias) r += bias[bi];
    return act_forward(act, act_param, r);
}

inline void gemm_tiled(int M, int N, int K, float alpha, global const float* A, int ao, int lda,
                       global const float* B, int bo, int ldb, float beta, global float* C, int co,
                       int has_bias, global const float* bias, int bias_o, int act, float act_param,
                       int sa, int sb, int sc,
                       local float* As, local float* Bs, const int ta, const int tb, const int vec) {
    int tx = get_local_id(0), ty = get_local_id(1);
    int m0 = get_group_id(1) * TS_M, n0 = get_group_id(0) * TS_N;
    int g = get_group_id(2);
    ao += g * sa;
    bo += g * sb;
    co += g * sc;
    float acc[WPT_M][WPT_N];
    for (int wm = 0; wm < WPT_M; wm++)
        for (int wn = 0; wn < WPT_N; wn++) acc[wm][wn] = 0.0f;

    for (int k0 = 0; k0 < K; k0 += TS_K) {
        load_tiles(A, ao, lda, B, bo, ldb, M, N, K, m0, n0, k0, As, Bs, ta, tb, vec);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TS_K; p++) {
            float bv[WPT_N];
            for (int wn = 0; wn < WPT_N; wn++) bv[wn] = Bs[p * LDB_S + tx + wn * RTS_N];
            for (int wm = 0; wm < WPT_M; wm++) {
                float av = As[p * LDA_S + ty + wm * RTS_M];
                for (int wn = 0; wn < WPT_N; wn++) acc[wm][wn] = fma(av, bv[wn], acc[wm][wn]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int wm = 0; wm < WPT_M; wm++) {
        int gi = m0 + ty + wm * RTS_M;
        for (int wn = 0; wn < WPT_N; wn++) {
            int gj = n0 + tx + wn * RTS_N;
            if (vec || (gi < M && gj < N)) {
                int ci = co + gi * N + gj;
                C[ci] = epilogue(acc[wm][wn], alpha, beta, C, ci, has_bias, bias, bias_o + gj, act, act_param);
            }
        }
    }
}

#define GEMM_TILED_KERNEL(name, ta, tb, vec) \
kernel __attribute__((reqd_work_group_size(RTS_N, RTS_M, 1))) \
void name(int M, int N, int K, float alpha, global const float* A, int ao, int lda, \
          global const float* B, int bo, int ldb, float beta, global float* C, int co, \
          int has_bias, global const float* bias, int bias_o, int act, float act_param, \
          int sa, int sb, int sc) { \
    local float As[TS_K * LDA_S]; \
    local float Bs[TS_K * LDB_S]; \
    gemm_tiled(M, N, K, alpha, A, ao, lda, B, bo, ldb, beta, C, co, has_bias, bias, bias_o, act, act_param, \
               sa, sb, sc, As, Bs, ta, tb, vec); \
}

GEMM_TILED_KERNEL(gemm_tiled_nn, 0, 0, 0)
GEMM_TILED_KERNEL(gemm_tiled_nt, 0, 1, 0)
GEMM_TILED_KERNEL(gemm_tiled_tn, 1, 0, 0)
GEMM_TILED_KERNEL(gemm_tiled_tt, 1, 1, 0)
GEMM_TILED_KERNEL(gemm_tiled_nn_v, 0, 0, 1)
GEMM_TILED_KERNEL(gemm_tiled_nt_v, 0, 1, 1)
GEMM_TILED_KERNEL(gemm_tiled_tn_v, 1, 0, 1)
GEMM_TILED_KERNEL(gemm_tiled_tt_v, 1, 1, 1)

// op(A)[i][p] = A[ao + i * sai + p * sap], op(B)[p][j] = B[bo + p * sbp + j * sbj]: the host sets the
// strides for the transposition, so one kernel serves all four.
kernel void gemm_direct(int M, int N, int K, float alpha, global const float* A, int ao, int sai, int sap,
                        global const float* B, int bo, int sbp, int sbj, float beta, global float* C, int co,
                        int has_bias, global const float* bias, int bias_o, int act, float act_param,
                        int sa, int sb, int sc) {
    int j = get_global_id(0), i = get_global_id(1), g = get_global_id(2);
    if (i >= M || j >= N) return;
    ao += g * sa;
    bo += g * sb;
    co += g * sc;
    global const float* a = A + ao + i * sai;
    global const float* b = B + bo + j * sbj;
    float acc = 0.0f;
    for (int p = 0; p < K; p++) acc = fma(a[p * sap], b[p * sbp], acc);
    int ci = co + i * N + j;
    C[ci] = epilogue(acc, alpha, beta, C, ci, has_bias, bias, bias_o + j, act, act_param);
}
