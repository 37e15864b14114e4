// Layer normalization over rows of `cols` values, and its gradients. Rows longer than the host's
// SERIAL_ROW get one work-group of WG work-items each, with tree sums in local memory; shorter ones one
// work-item per row. Each row's statistics take two passes, as the scalar reference's do: the mean,
// then the mean of the squared deviations from it (E[x^2] - E[x]^2 would cancel for a row far from 0).
// Gamma, beta and their gradients are optional: a has_* flag says whether the buffer beside it is real.

// Sums v over the work-group into every work-item's result; every work-item must call it.
inline float norm_tree(local float* scratch, float v) {
    int lid = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE);  // scratch may still be read from the previous use
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

// out = (x - mean) * rstd * gamma + beta for one value, as the reference orders it.
inline float norm_value(float v, float mu, float rs, int j, int has_gamma, global const float* gamma, int go,
                        int has_beta, global const float* beta, int bo) {
    float r = (v - mu) * rs;
    if (has_gamma) r *= gamma[go + j];
    if (has_beta) r += beta[bo + j];
    return r;
}

kernel void layer_norm_group(global const float* x, int xo, int has_gamma, global const float* gamma, int go,
                             int has_beta, global const float* beta, int bo, float eps, global float* out, int oo,
                             global float* mean, int mo, global float* rstd, int ro, int cols) {
    local float scratch[WG];
    int lid = get_local_id(0);
    int r = get_group_id(0);
    global const float* row = x + xo + r * cols;
    global float* dst = out + oo + r * cols;
    float s = 0.0f;
    for (int j = lid; j < cols; j += WG) s += row[j];
    float mu = norm_tree(scratch, s) / cols;
    float q = 0.0f;
    for (int j = lid; j < cols; j += WG) {
        float d = row[j] - mu;
        q += d * d;
    }
    float rs = 1.0f / sqrt(norm_tree(scratch, q) / cols + eps);
    for (int j = lid; j < cols; j += WG) dst[j] = norm_value(row[j], mu, rs, j, has_gamma, gamma, go, has_beta, beta, bo);
    if (lid == 0) {
        mean[mo + r] = mu;
        rstd[ro + r] = rs;
    }
}

kernel void layer_norm_serial(global const float* x, int xo, int has_gamma, global const float* gamma, int go,
                              int has_beta, global const float* beta, int bo, float eps, global float* out, int oo,
                              global float* mean, int mo, global float* rstd, int ro, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    global const float* row = x + xo + r * cols;
    global float* dst = out + oo + r * cols;
    float s = 0.0f;
    for (int j = 0; j < cols; j++) s += row[j];
    float mu = s / cols;
    float q = 0.0f;
    for (int j = 0; j < cols; j++) {
        float d = row[j] - mu;
        q += d * d;
    }
    float rs = 1.0f / sqrt(q / cols + eps);
    for (int j = 0; j < cols; j++) dst[j] = norm_value(row[j], mu, rs, j, has_gamma, gamma, go, has_beta, beta, bo);
    mean[mo + r] = mu;
    rstd[ro + r] = rs;
}

// g = dy * gamma (dy without gamma).
inline float norm_g(global const float* dy, int i, int j, int has_gamma, global const float* gamma, int go) {
    return has_gamma ? dy[i] * gamma[go + j] : dy[i];
}

// dx = (g - mean_j g - xhat * mean_j(g xhat)) * rstd, xhat = (x - mean) * rstd, one row per work-group.
kernel void layer_norm_dx_group(global const float* x, int xo, global const float* mean, int mo,
                                global const float* rstd, int ro, int has_gamma, global const float* gamma, int go,
                                global const float* dy, int dyo, global float* dx, int dxo, int cols) {
    local float scratch[WG];
    int lid = get_local_id(0);
    int r = get_group_id(0);
    float mu = mean[mo + r], rs = rstd[ro + r];
    int base = r * cols;
    float sg = 0.0f, sgx = 0.0f;
    for (int j = lid; j < cols; j += WG) {
        float g = norm_g(dy, dyo + base + j, j, has_gamma, gamma, go);
        sg += g;
        sgx += g * ((x[xo + base + j] - mu) * rs);
    }
    float mg = norm_tree(scratch, sg) / cols;
    float mgx = norm_tree(scratch, sgx) / cols;
    for (int j = lid; j < cols; j += WG) {
        float g = norm_g(dy, dyo + base + j, j, has_gamma, gamma, go);
        float xhat = (x[xo + base + j] - mu) * rs;
        dx[dxo + base + j] = (g - mg - xhat * mgx) * rs;
    }
}

kernel void layer_norm_dx_serial(global const float* x, int xo, global const float* mean, int mo,
                                 global const float* rstd, int ro, int has_gamma, global const float* gamma, int go,
                                 global const float* dy, int dyo, global float* dx, int dxo, int rows, int cols) {
    int r = get_global_id(0);
    if (r >= rows) return;
    float mu = mean[mo + r], rs = rstd[ro + r];
    int base = r * cols;
    float sg = 0.0f, sgx = 0.0f;
    for (int j = 0; j < cols; j++) {
        float g = norm_g(dy, dyo + base + j, j, has_gamma, gamma, go);
        sg += g;
        sgx += g * ((x[xo + base + j] - mu) * rs);
    }
    float mg = sg / cols;
    float mgx = sgx / cols;
    for (int j = 0; j < cols; j++) {
        float g = norm_g(dy, dyo + base + j, j, has_gamma, gamma, go);
        float xhat = (x[xo + base + j] - mu) * rs;
        dx[dxo + base + j] = (g - mg - xhat * mgx) * rs;
    }
}

// dgamma = sum_rows dy * xhat, dbeta = sum_rows dy: one work-item per column, summing down it in
// increasing row as the reference does (neighbouring work-items read neighbouring addresses).
kernel void layer_norm_param_grads(global const float* x, int xo, global const float* mean, int mo,
                                   global const float* rstd, int ro, global const float* dy, int dyo,
                                   int has_dgamma, global float* dgamma, int dgo, int has_dbeta, global float* dbeta,
                                   int dbo, int rows, int cols) {
    int j = get_global_id(0);
    if (j >= cols) return;
    float sg = 0.0f, sb = 0.0f;
    for (int r = 0; r < rows; r++) {
        int i = r * cols + j;
        float d = dy[dyo + i];
        sg += d * ((x[xo + i] - mean[mo + r]) * rstd[ro + r]);
        sb += d;
    }
    if (has_dgamma) dgamma[dgo + j] = sg;
    if (has_dbeta) dbeta[dbo + j] = sb;
}
