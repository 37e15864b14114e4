// Row kernels: x seen as rows x cols. Long rows get one work-group of WG work-items per row with
// tree reductions in local memory; short rows (the host decides) one work-item per row.

// Folds scratch into scratch[0] with max (NaN wins) or sum; every work-item must call it.
inline float row_tree(local float* scratch, float v, int is_max) {
    int lid = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE);  // scratch may still be read from the previous use
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            float a = scratch[lid], b = scratch[lid + s];
            scratch[lid] = is_max ? nan_max(a, b) : a + b;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

// out_j = e^(x_j - max) / sum, or with log_form, x_j - max - ln(sum).
kernel void softmax_group(global const float* x, int xo, global float* out, int oo, int cols, int log_form) {
    local float scratch[WG];
    int lid = get_local_id(0);
    int base = get_group_id(0) * cols;
    global const float* row = x + xo + base;
    global float* dst = out + oo + base;
    float mx = -INFINITY;
    for (int j = lid; j < cols; j += WG) mx = nan_max(mx, row[j]);
    mx = row_tree(scratch, mx, 1);
    float sum = 0.0f;
    for (int j = lid; j < cols; j += WG) sum += exp(row[j] - mx);
    sum = row_tree(scratch, sum, 0);
    if (log_form) {
        float lse = log(sum);
        for (int j = lid; j < cols; j += WG) dst[j] = row[j] - mx - lse;
    } else {
        for (int j = lid; j < cols; j += WG) dst[j] = exp(row[j] - mx) / sum;
    }
}

kernel void softmax_serial(global const float* x, int xo, global float* out, int oo, int rows, int cols,
                           int log_form) {
    int r = get_global_id(0);
    if (r >= rows) return;
    global const float* row = x + xo + r * cols;
    global float* dst = out + oo + r * cols;
    float mx = -INFINITY;
    for (int j = 0; j < cols; j++) mx = nan_max(mx, row[j]);
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) sum += exp(row[j] - mx);
    if (log_form) {
        float lse = log(sum);
        for (int j = 0; j < cols; j++) dst[j] = row[j] - mx - lse;
    } else {
        for (int j = 0; j < cols; j++) dst[j] = exp(row[j] - mx) / sum;
    }
}

// Whether (a, ia) beats (b, ib) for argmax: larger wins, NaN counts as largest, ties go to the first.
inline int arg_better(float a, int ia, float b, int ib) {
    if (isnan(a) || isnan(b)) {
        return isnan(a) && (!isnan(b) || ia < ib);
    }
    return a > b || (a == b && ia < ib);
}

kernel void argmax_group(global const float* x, int xo, global float* out, int oo, int cols) {
    local float vals[WG];
    local int idxs[WG];
    int lid = get_local_id(0);
    global const float* row = x + xo + get_group_id(0) * cols;
    float best = -INFINITY;
    int bi = cols;  // loses every comparison against a real element
    for (int j = lid; j < cols; j += WG) {
        if (arg_better(row[j], j, best, bi)) { best = row[j]; bi = j; }
    }
    vals[lid] = best;
    idxs[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s && arg_better(vals[lid + s], idxs[lid + s], vals[lid], idxs[lid])) {
            vals[lid] = vals[lid + s];
            idxs[lid] = idxs[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[oo + get_group_id(0)] = (float) idxs[0];
}

kernel void argmax_serial(global const float* x, int xo, global float* out, int oo, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    global const float* row = x + xo + r * cols;
    float best = row[0];
    int bi = 0;
    for (int j = 1; j < cols; j++) {
        if (arg_better(row[j], j, best, bi)) { best = row[j]; bi = j; }
    }
    out[oo + r] = (float) bi;
}

// A label outside [0, classes) (or not a number) gives a row of all `off`: a device kernel has no
// way to throw, as Backend#oneHot documents.
kernel void one_hot(global const float* labels, int lo, global float* out, int oo, int n, int classes,
                    float on, float off) {
    int i = get_global_id(0);
    if (i >= n) return;
    int r = i / classes;
    int j = i - r * classes;
    float label = labels[lo + r];
    int hit = label >= 0.0f && label < (float) classes && (int) label == j;
    out[oo + i] = hit ? on : off;
}

kernel void gather_rows(global const float* src, int so, global const int* indices, global float* out, int oo,
                        int n, int row_len) {
    int i = get_global_id(0);
    if (i >= n) return;
    int r = i / row_len;
    int c = i - r * row_len;
    out[oo + i] = src[so + indices[r] * row_len + c];
}

// One work-item per copied value: column block [so, so + width) of each source row into the
// destination's block at do (concatenation and splitting along an axis).
kernel void copy_columns(global const float* src, int so, int src_cols, global float* dst, int dst_o, int dst_cols,
                         int n, int width) {
    int i = get_global_id(0);
    if (i >= n) return;
    int r = i / width;
    int c = i - r * width;
    dst[dst_o + r * dst_cols + c] = src[so + r * src_cols + c];
}

// Group g adds its source rows (order[starts[g]] ... order[starts[g + 1] - 1], in increasing row)
// into out's row targets[g]: one work-item per (group, column), so no two write the same value and
// the sums are those of a sequential loop, bit for bit. `meta` holds order, then starts at
// `starts_at`, then targets at `targets_at`.
kernel void scatter_add_rows(global const float* src, int so, global const int* meta, int starts_at, int targets_at,
                             global float* out, int oo, int n, int row_len) {
    int i = get_global_id(0);
    if (i >= n) return;
    int g = i / row_len;
    int c = i - g * row_len;
    int o = oo + meta[targets_at + g] * row_len + c;
    float acc = out[o];
    for (int k = meta[starts_at + g]; k < meta[starts_at + g + 1]; k++) {
        acc += src[so + meta[k] * row_len + c];
    }
    out[o] = acc;
}

// A TILE x TILE block goes through local memory so both the read and the write are coalesced;
// the +1 column keeps the transposed reads free of bank conflicts.
kernel void transpose(global const float* a, int ao, global float* out, int oo, int rows, int cols) {
    local float tile[TILE][TILE + 1];
    int tx = get_local_id(0), ty = get_local_id(1);
    int c = get_group_id(0) * TILE + tx;
    int r = get_group_id(1) * TILE + ty;
    if (r < rows && c < cols) tile[ty][tx] = a[ao + r * cols + c];
    barrier(CLK_LOCAL_MEM_FENCE);
    int oc = get_group_id(1) * TILE + tx;  // column of out = row of a
    int orow = get_group_id(0) * TILE + ty;
    if (orow < cols && oc < rows) out[oo + orow * rows + oc] = tile[tx][ty];
}
