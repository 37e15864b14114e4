// Optimizer updates, in place, one work-item per parameter; formulas as in dendrite.tensor.Backend.

kernel void sgd_update(global float* p, int po, global const float* g, int go, global float* v, int vo, int n,
                       float lr, float mu, float wd, int nesterov) {
    int i = get_global_id(0);
    if (i >= n) return;
    float w = p[po + i];
    float d = g[go + i] + wd * w;
    if (mu != 0.0f) {
        float vel = mu * v[vo + i] + d;
        v[vo + i] = vel;
        d = nesterov ? d + mu * vel : vel;
    }
    p[po + i] = w - lr * d;
}

// bc1 = 1 - beta1^t and bc2 = 1 - beta2^t come from the host, computed in double.
kernel void adam_update(global float* p, int po, global const float* g, int go, global float* m, int mo,
                        global float* v, int vo, int n, float lr, float b1, float b2, float eps, float wd,
                        int decoupled, float bc1, float bc2) {
    int i = get_global_id(0);
    if (i >= n) return;
    float w = p[po + i];
    float d = g[go + i];
    if (decoupled) {
        w -= lr * wd * w;
    } else {
        d += wd * w;
    }
    float mm = b1 * m[mo + i] + (1.0f - b1) * d;
    float vv = b2 * v[vo + i] + (1.0f - b2) * d * d;
    m[mo + i] = mm;
    v[vo + i] = vv;
    p[po + i] = w - lr * (mm / bc1) / (sqrt(vv / bc2) + eps);
}

kernel void rmsprop_update(global float* p, int po, global const float* g, int go, global float* s, int so, int n,
                           float lr, float alpha, float eps, float wd) {
    int i = get_global_id(0);
    if (i >= n) return;
    float w = p[po + i];
    float d = g[go + i] + wd * w;
    float sq = alpha * s[so + i] + (1.0f - alpha) * d * d;
    s[so + i] = sq;
    p[po + i] = w - lr * d / (sqrt(sq) + eps);
}

kernel void adagrad_update(global float* p, int po, global const float* g, int go, global float* s, int so, int n,
                           float lr, float eps, float wd) {
    int i = get_global_id(0);
    if (i >= n) return;
    float w = p[po + i];
    float d = g[go + i] + wd * w;
    float sum = s[so + i] + d * d;
    s[so + i] = sum;
    p[po + i] = w - lr * d / (sqrt(sum) + eps);
}
