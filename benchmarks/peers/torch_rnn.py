"""PyTorch's side of RecurrentBenchmark: forward plus backward of nn.LSTM / nn.GRU (batch_first=True)
on batch 64, 50 steps, 64 inputs, 256 hidden units, every step's output given a gradient of 0.01.

  python3 torch_rnn.py [--threads N] [--cell lstm|gru] [--reps R]

Prints the median and the best of R timed repetitions (after warm-up) in milliseconds.
"""
import argparse
import statistics
import time

import torch

BATCH, STEPS, INPUTS, HIDDEN = 64, 50, 64, 256


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    p.add_argument("--reps", type=int, default=30)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    layer = (torch.nn.LSTM if a.cell == "lstm" else torch.nn.GRU)(INPUTS, HIDDEN, batch_first=True)
    x = torch.sin(0.1 * torch.arange(BATCH * STEPS * INPUTS, dtype=torch.float32)).reshape(BATCH, STEPS, INPUTS)
    x.requires_grad_(True)
    g = torch.full((BATCH, STEPS, HIDDEN), 0.01)

    def once():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        y, _ = layer(x)
        y.backward(g)

    for _ in range(5):
        once()
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1e3)
    print("torch %s %s, %d threads: median %.2f ms, best %.2f ms over %d reps" % (
        torch.__version__, a.cell, a.threads, statistics.median(times), min(times), a.reps))


if __name__ == "__main__":
    main()
