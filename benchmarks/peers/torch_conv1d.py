"""PyTorch's side of Conv1dBenchmark: forward plus backward (dL/dx, weight and bias gradients) of
nn.Conv1d(128, 128, 5, padding='same') on batch 64, 128 channels, 100 steps, the output given a
gradient of 0.01.

  python3 torch_conv1d.py [--threads N] [--reps R]

Prints the median and the best of R timed repetitions (after warm-up) in milliseconds.
"""
import argparse
import statistics
import time

import torch

BATCH, CHANNELS, LENGTH, FILTERS, WIDTH = 64, 128, 100, 128, 5


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=30)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    layer = torch.nn.Conv1d(CHANNELS, FILTERS, WIDTH, padding="same")
    x = torch.sin(0.1 * torch.arange(BATCH * CHANNELS * LENGTH, dtype=torch.float32)).reshape(BATCH, CHANNELS, LENGTH)
    x.requires_grad_(True)
    g = torch.full((BATCH, FILTERS, LENGTH), 0.01)

    def once():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        layer(x).backward(g)

    for _ in range(5):
        once()
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1e3)
    print("torch %s conv1d, %d threads: median %.2f ms, best %.2f ms over %d reps" % (
        torch.__version__, a.threads, statistics.median(times), min(times), a.reps))


if __name__ == "__main__":
    main()
