// Reductions. A reduction along an axis sees x as [outer, len, inner] and makes outer * inner
// values. Two strategies, chosen on the host by the shape:
//  - reduce_group: one work-group of WG work-items per output, a strided pass then a tree in
//    local memory (PoCL has no work_group_reduce_*), for long reductions;
//  - reduce_serial: one work-item per output looping over len, for short ones (and column sums,
//    where neighbouring work-items read neighbouring addresses).
// reduce_partial is the first pass of reduceAll: each group folds a strided share of all of x.

inline float reduce_identity(int op) { return op == REDUCE_MAX ? -INFINITY : 0.0f; }

inline float reduce_load(int op, float v) { return op == REDUCE_SUM_SQUARES ? v * v : v; }

inline float reduce_combine(int op, float a, float b) { return op == REDUCE_MAX ? nan_max(a, b) : a + b; }

inline float reduce_finish(int op, float acc, float scale) { return op == REDUCE_MEAN ? acc * scale : acc; }

// Folds the WG values of scratch into scratch[0]; every work-item must call it.
inline float tree_reduce(int op, local float* scratch, float acc) {
    int lid = get_local_id(0);
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] = reduce_combine(op, scratch[lid], scratch[lid + s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

kernel void reduce_group(global const float* x, int xo, global float* out, int oo, int len, int inner,
                         int op, float scale) {
    local float scratch[WG];
    int o = get_group_id(0);
    int lid = get_local_id(0);
    int base = xo + (o / inner) * len * inner + o % inner;
    float acc = reduce_identity(op);
    for (int j = lid; j < len; j += WG) {
        acc = reduce_combine(op, acc, reduce_load(op, x[base + j * inner]));
    }
    float r = tree_reduce(op, scratch, acc);
    if (lid == 0) {
        out[oo + o] = reduce_finish(op, r, scale);
    }
}

kernel void reduce_serial(global const float* x, int xo, global float* out, int oo, int outputs, int len,
                          int inner, int op, float scale) {
    int o = get_global_id(0);
    if (o >= outputs) return;
    int base = xo + (o / inner) * len * inner + o % inner;
    float acc = reduce_identity(op);
    for (int j = 0; j < len; j++) {
        acc = reduce_combine(op, acc, reduce_load(op, x[base + j * inner]));
    }
    out[oo + o] = reduce_finish(op, acc, scale);
}

kernel void reduce_partial(global const float* x, int xo, int n, global float* partials, int op) {
    local float scratch[WG];
    int lid = get_local_id(0);
    int stride = get_num_groups(0) * WG;
    float acc = reduce_identity(op);
    for (int i = get_global_id(0); i < n; i += stride) {
        acc = reduce_combine(op, acc, reduce_load(op, x[xo + i]));
    }
    float r = tree_reduce(op, scratch, acc);
    if (lid == 0) {
        partials[get_group_id(0)] = r;
    }
}
