"""PyTorch's side of issue 15's text target: the character LSTM `dendrite train --dataset text:FILE`
trains by default, on the same windows and the same split, to compare validation and test losses.

  python3 torch_char_lstm.py FILE [--epochs 5] [--threads 2]

Windows of 32 characters (code points) from every third, each labelled with the next character;
the first 70 % train, the next 10 % validate, the last 20 % test (in text order, as Dendrite's
chronological split rounds them). Embedding(V, 32) -> LSTM(32, 128) -> Linear(128, V), Adam 1e-3
with a cosine decay to zero over the run, batch 64, shuffled each epoch. Prints each epoch's losses
and the test loss in bits per character, with the bigram baseline's (add-one smoothing).
"""
import argparse
import math
import time

import torch
from torch import nn

WINDOW, STRIDE, EMBED, HIDDEN, BATCH = 32, 3, 32, 128, 64


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    text = open(a.file, encoding="utf-8").read()
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    ids = torch.tensor([index[c] for c in text])
    n = (len(ids) - WINDOW - 1) // STRIDE + 1
    starts = torch.arange(n) * STRIDE
    x = torch.stack([ids[s:s + WINDOW] for s in starts.tolist()])
    y = ids[starts + WINDOW]
    test = round(n * 0.2)
    val = min(n - test, round(n * 0.1))
    train_end = n - test - val
    parts = {"train": (x[:train_end], y[:train_end]), "val": (x[train_end:train_end + val], y[train_end:train_end + val]),
             "test": (x[train_end + val:], y[train_end + val:])}

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(len(vocab), EMBED)
            self.lstm = nn.LSTM(EMBED, HIDDEN, batch_first=True)
            self.out = nn.Linear(HIDDEN, len(vocab))

        def forward(self, t):
            h, _ = self.lstm(self.embed(t))
            return self.out(h[:, -1, :])

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    steps = a.epochs * math.ceil(train_end / BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    loss_fn = nn.CrossEntropyLoss()

    def evaluate(part):
        xs, ys = parts[part]
        total = 0.0
        with torch.no_grad():
            for i in range(0, len(xs), 1024):
                total += loss_fn(net(xs[i:i + 1024]), ys[i:i + 1024]).item() * len(xs[i:i + 1024])
        return total / len(xs)

    xs, ys = parts["train"]
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(train_end)
        total = 0.0
        for i in range(0, train_end, BATCH):
            b = order[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(net(xs[b]), ys[b])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(b)
        print("epoch %d/%d  train loss %.4f | val loss %.4f | %.1fs" % (
            epoch + 1, a.epochs, total / train_end, evaluate("val"), time.perf_counter() - t0), flush=True)
    test_loss = evaluate("test")
    v = len(vocab)
    counts = torch.ones(v, v)
    counts.index_put_((parts["train"][0][:, -1], parts["train"][1]), torch.ones(train_end), accumulate=True)
    probs = counts / counts.sum(1, keepdim=True)
    tx, ty = parts["test"]
    bigram = -torch.log(probs[tx[:, -1], ty]).mean().item()
    print("test loss %.4f: %.4f bits per character (perplexity %.3f); bigram %.4f bits (perplexity %.3f)" % (
        test_loss, test_loss / math.log(2), math.exp(test_loss), bigram / math.log(2), math.exp(bigram)))


if __name__ == "__main__":
    main()
