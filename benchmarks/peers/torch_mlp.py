#!/usr/bin/python3
"""The MLP and CNN workloads of Dendrite's benchmarks, in PyTorch, on the same machine.

Times what EpochBenchmark, TrainStepBenchmark and InferenceBenchmark time: a 784-256-128-10 MLP
(ReLU), or with --model cnn the preset CNN of `dendrite train --model cnn` (conv 32 3x3, ReLU, max
pool 2, conv 64 3x3, ReLU, max pool 2, flatten, dense 128, ReLU, dense 10, on [1, 28, 28]
images: PyTorch runs its convolutions through oneDNN), softmax cross-entropy, Adam lr 1e-3, shuffled batches of 128 on Fashion-MNIST's 60,000
training images (or a synthetic set of that shape when Debian's dataset-fashion-mnist is not
installed, said so); one training epoch, one training step, and predicting 1 and 64 samples.

Thread counts are matched: torch's fp32 GEMM goes through the system OpenBLAS and its other ops
through OpenMP, so OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and torch.set_num_threads are all set to
--threads (before torch is imported, which is when the libraries read them).

    /usr/bin/python3 benchmarks/peers/torch_mlp.py --threads 2 --json results/pytorch.json
    /usr/bin/python3 benchmarks/peers/torch_mlp.py --model cnn --threads 2 --json results/pytorch-cnn.json

With --accuracy E it instead trains the model for E epochs as `dendrite train --dataset fashion-mnist`
does (54,000 images, 6,000 held out for validation, Adam 1e-3 with a cosine decay to zero by the last
step, batches of 128) and prints the test accuracy, for comparing Dendrite's accuracy with PyTorch's;
--bn adds BatchNorm2d after each convolution (the cnn-bn preset), --pad 1 pads both convolutions,
--model cnn-deep trains four padded convolutions with batch norm (the 93 % network of
benchmarks/README.md), and --augment "crop 2, flip" moves the training images as `dendrite train
--augment` does (with torch's random numbers). --optimizer, --lr, --weight-decay, --batch and --seed
change the recipe as the same options of `dendrite train` do, e.g. the presets' recipe:

    /usr/bin/python3 benchmarks/peers/torch_mlp.py --model cnn --bn --accuracy 10 --optimizer adamw \
        --lr 0.003 --weight-decay 0.05 --batch 64 --augment "crop 1"

Needs Debian's python3-torch (apt-get install python3-torch). Prints a table of medians and, with
--json, writes them with JMH's benchmark names so dendrite.bench.Report lines them up with the
JMH results.
"""
import argparse
import gzip
import json
import os
import platform
import statistics
import struct
import sys
import time

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
SAMPLES, INPUTS, CLASSES, BATCH = 60_000, 784, 10, 128


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="threads for torch, OpenMP and OpenBLAS alike (default: all cores, %(default)s)")
    p.add_argument("--json", help="also write the results here, for dendrite.bench.Report")
    p.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run, not numbers to publish")
    p.add_argument("--synthetic", action="store_true", help="synthetic data even where Fashion-MNIST is installed")
    p.add_argument("--model", choices=("mlp", "cnn", "cnn-deep"), default="mlp",
                   help="the network (default %(default)s); cnn-deep: with --accuracy, four padded 3x3 convolutions "
                        "with BatchNorm2d (32, 32, pool, 64, 64, pool), dense 128, dense 10")
    p.add_argument("--accuracy", type=int, metavar="EPOCHS",
                   help="train this many epochs and report the test accuracy instead of timing")
    p.add_argument("--bn", action="store_true", help="--model cnn with BatchNorm2d after each convolution (cnn-bn)")
    p.add_argument("--augment", default="none",
                   help="with --accuracy: 'crop P', 'flip' or both, as dendrite train --augment (default none)")
    p.add_argument("--pad", type=int, default=0, help="--model cnn: zero padding of both convolutions (default 0)")
    p.add_argument("--optimizer", choices=("adam", "adamw"), default="adam", help="(default %(default)s)")
    p.add_argument("--lr", type=float, default=1e-3, help="the peak learning rate (default %(default)s)")
    p.add_argument("--weight-decay", type=float, default=0.0,
                   help="L2 for adam, decoupled for adamw (default %(default)s; the presets' recipe: adamw 0.05)")
    p.add_argument("--batch", type=int, default=128, help="with --accuracy: the batch size (default %(default)s)")
    p.add_argument("--seed", type=int, default=42, help="with --accuracy: the seed (default %(default)s)")
    p.add_argument("--name", default="pytorch",
                   help="the backend name in the report (default %(default)s; run.sh names its 1-thread run pytorch-1thread)")
    return p.parse_args()


args = parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:
    sys.exit(f"torch_mlp: {e}: install Debian's PyTorch with `apt-get install -y python3-torch`")

torch.set_num_threads(args.threads)


def read_idx(path):
    """An IDX file (MNIST's format, gzipped or not) as a numpy array of its shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(folder, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def training_data():
    """(features [60000, 784] float32 in [0, 1], labels [60000] int64, description)."""
    images = find(FASHION_MNIST, "train-images-idx3-ubyte")
    labels = find(FASHION_MNIST, "train-labels-idx1-ubyte")
    if images and labels and not args.synthetic:
        x = read_idx(images).reshape(-1, INPUTS).astype(np.float32) / 255.0
        y = read_idx(labels).astype(np.int64)
        return torch.from_numpy(x), torch.from_numpy(y), f"fashion-mnist (train) from {FASHION_MNIST}"
    why = "--synthetic" if args.synthetic else f"{FASHION_MNIST} is not installed (apt-get install dataset-fashion-mnist)"
    g = torch.Generator().manual_seed(42)
    x = torch.rand(SAMPLES, INPUTS, generator=g)
    y = torch.randint(0, CLASSES, (SAMPLES,), generator=g)
    return x, y, f"SYNTHETIC, not Fashion-MNIST: {why}"


def mlp():
    torch.manual_seed(42)
    return nn.Sequential(nn.Linear(INPUTS, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, CLASSES))


def cnn():
    torch.manual_seed(args.seed)
    if args.model == "cnn-deep":
        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), *block(1, 32), *block(32, 32), nn.MaxPool2d(2),
                             *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, CLASSES))
    side = ((28 + 2 * args.pad - 2) // 2 + 2 * args.pad - 2) // 2
    if args.bn:
        return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                             nn.Conv2d(1, 32, 3, padding=args.pad, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                             nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3, padding=args.pad, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                             nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(64 * side * side, 128), nn.ReLU(), nn.Linear(128, CLASSES))
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                         nn.Conv2d(1, 32, 3, padding=args.pad), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=args.pad), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * side * side, 128), nn.ReLU(), nn.Linear(128, CLASSES))


def augmenter(spec):
    """A function moving a batch [m, 784] as `dendrite train --augment spec` does (torch's own random
    numbers, so not the same moves): crop P = shift by up to P pixels with a zero border, flip =
    mirror half the images."""
    pad, flip = 0, False
    for item in (i.strip() for i in spec.lower().split(",")):
        if item.startswith("crop"):
            pad = int(item.split()[1])
        elif item == "flip":
            flip = True
        elif item not in ("", "none"):
            sys.exit(f"torch_mlp: --augment: unknown item '{item}'")
    if not pad and not flip:
        return None
    g = torch.Generator().manual_seed(7)

    def move(x):
        images = x.view(-1, 1, 28, 28)
        m = images.shape[0]
        if flip:
            mask = torch.rand(m, generator=g) < 0.5
            images = torch.where(mask.view(-1, 1, 1, 1), images.flip(-1), images)
        if pad:
            padded = nn.functional.pad(images, (pad, pad, pad, pad))
            dy = torch.randint(0, 2 * pad + 1, (m,), generator=g)
            dx = torch.randint(0, 2 * pad + 1, (m,), generator=g)
            images = torch.stack([padded[i, :, dy[i]:dy[i] + 28, dx[i]:dx[i] + 28] for i in range(m)])
        return images.reshape(m, -1)
    return move


def network():
    return cnn() if args.model.startswith("cnn") else mlp()


class Training:
    """The training loop Dendrite's benchmarks time: gather a shuffled batch, forward, loss (read
    back every step, as Dendrite's trainer does), backward, Adam."""

    def __init__(self, x, y):
        self.x, self.y = x, y
        self.model = network()
        self.loss = nn.CrossEntropyLoss()
        make = torch.optim.AdamW if args.optimizer == "adamw" else torch.optim.Adam
        self.optimizer = make(self.model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        self.generator = torch.Generator().manual_seed(args.seed)
        self.step_hook = None
        self.augment = None

    def step(self, idx):
        self.optimizer.zero_grad(set_to_none=True)
        x = self.x[idx] if self.augment is None else self.augment(self.x[idx])
        loss = self.loss(self.model(x), self.y[idx])
        loss.backward()
        self.optimizer.step()
        if self.step_hook:
            self.step_hook()
        return loss.item()

    def epoch(self):
        order = torch.randperm(len(self.x), generator=self.generator)
        total = 0.0
        batches = 0
        for start in range(0, len(order), BATCH):
            total += self.step(order[start:start + BATCH])
            batches += 1
        return total / batches


def timed_runs(fn, runs, seconds):
    """Per-call seconds of `fn`, one value per run of about `seconds` (as a JMH iteration)."""
    per_call = []
    for _ in range(runs):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        per_call.append(elapsed / calls)
    return per_call


def test_data():
    images = find(FASHION_MNIST, "t10k-images-idx3-ubyte")
    labels = find(FASHION_MNIST, "t10k-labels-idx1-ubyte")
    if not (images and labels):
        sys.exit(f"torch_mlp: --accuracy needs Fashion-MNIST's test set in {FASHION_MNIST}")
    x = read_idx(images).reshape(-1, INPUTS).astype(np.float32) / 255.0
    return torch.from_numpy(x), torch.from_numpy(read_idx(labels).astype(np.int64))


def accuracy_run(epochs):
    """Trains as `dendrite train` does and prints the accuracy on the validation and test sets."""
    x, y, data = training_data()
    test_x, test_y = test_data()
    global BATCH
    BATCH = args.batch
    g = torch.Generator().manual_seed(args.seed)
    order = torch.randperm(len(x), generator=g)
    held = len(x) // 10
    val_x, val_y, x, y = x[order[:held]], y[order[:held]], x[order[held:]], y[order[held:]]
    training = Training(x, y)
    steps = epochs * ((len(x) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(training.optimizer, T_max=steps)
    training.step_hook = schedule.step
    training.augment = augmenter(args.augment)

    def accuracy(ax, ay):
        training.model.eval()
        with torch.inference_mode():
            right = sum((training.model(ax[i:i + 1000]).argmax(1) == ay[i:i + 1000]).sum().item()
                        for i in range(0, len(ax), 1000))
        training.model.train()
        return right / len(ax)

    print(f"data: {data}; {len(x)} train, {len(val_x)} validation, {len(test_x)} test; model {args.model}"
          f"{' with BatchNorm2d' if args.bn else ''}{f' pad {args.pad}' if args.pad else ''}, augment {args.augment}, "
          f"{args.optimizer} lr {args.lr} weight decay {args.weight_decay} batch {BATCH}, seed {args.seed}; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for e in range(epochs):
        start = time.perf_counter()
        loss = training.epoch()
        print(f"epoch {e + 1:2d}/{epochs}  train loss {loss:.4f} | val acc {accuracy(val_x, val_y):.4f} | "
              f"{time.perf_counter() - start:.2f}s", flush=True)
    print(f"test accuracy: {accuracy(test_x, test_y):.4f}")


def main():
    if args.accuracy:
        accuracy_run(args.accuracy)
        return
    x, y, data = training_data()
    print(f"data: {data}, {len(x)} x {x.shape[1]}; model {args.model}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads "
          f"(OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']})")
    warm, runs, seconds = (1, 3, 0.5) if args.quick else (2, 5, 2.0)
    results = []

    def record(name, unit, scale, values):
        values = [v * scale for v in values]
        results.append({"benchmark": name, "params": {"model": args.model}, "unit": unit, "median": statistics.median(values), "runs": values})
        print(f"{name:28s} median {statistics.median(values):12.3f} {unit}   runs {', '.join(f'{v:.3f}' for v in values)}")

    # One epoch per run, timed once each, after warm-up epochs (JMH's SingleShotTime).
    training = Training(x, y)
    epochs = []
    for e in range(warm + runs):
        start = time.perf_counter()
        mean_loss = training.epoch()
        if e >= warm:
            epochs.append(time.perf_counter() - start)
    record("EpochBenchmark.epoch", "ms/op", 1e3, epochs)
    print(f"  mean training loss of epoch {warm + runs}: {mean_loss:.4f}")

    steps = Training(x, y)
    order = torch.randperm(len(x), generator=steps.generator)
    cursor = [0]

    def one_step():
        start = cursor[0] * BATCH
        cursor[0] = (cursor[0] + 1) % (len(x) // BATCH)
        steps.step(order[start:start + BATCH])

    timed_runs(one_step, warm, seconds)
    record("TrainStepBenchmark.step", "us/op", 1e6, timed_runs(one_step, runs, seconds))

    # Prediction: host values in and out, as Dendrite's Sequential.predict(float[], n).
    model = network().eval()
    one, batch = x[:1].numpy().copy(), x[:64].numpy().copy()
    with torch.inference_mode():
        for name, sample in (("InferenceBenchmark.single", one), ("InferenceBenchmark.batch64", batch)):
            predict = lambda s=sample: model(torch.from_numpy(s)).numpy()
            timed_runs(predict, warm, seconds)
            record(name, "us/op", 1e6, timed_runs(predict, runs, seconds))

    if args.json:
        out = {"peer": args.name, "version": torch.__version__, "threads": args.threads, "data": data,
               "python": platform.python_version(), "quick": args.quick, "results": results}
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
        print(f"results: {args.json}")


if __name__ == "__main__":
    main()
