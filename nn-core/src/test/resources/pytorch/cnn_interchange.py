"""PyTorch's side of PyTorchInterchangeTest: the same CNN as a torch nn.Sequential.

  python3 cnn_interchange.py from-torch WEIGHTS IO    seeded torch weights to WEIGHTS, input and torch's output to IO
  python3 cnn_interchange.py to-torch WEIGHTS IN OUT   loads Dendrite's WEIGHTS (strict, nn.Sequential names),
                                                       runs IN's "x" and writes torch's output as "y" to OUT

Safetensors is read and written by hand (8-byte header length, JSON header, little-endian F32 data),
so the script needs torch alone. The layers must match PyTorchInterchangeTest.model() one for one.
"""
import json
import struct
import sys

import torch
from torch import nn


def model():
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding="same"),
        nn.ReLU(),
        nn.BatchNorm2d(4),
        nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 1), groups=2),
        nn.ConvTranspose2d(6, 4, 3, stride=2, padding=1, output_padding=1, groups=2),
        nn.MaxPool2d(2),
        nn.AvgPool2d(2, stride=1, padding=1),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3),
    )


def write(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        assert spec["dtype"] == "F32", spec
        start, end = spec["data_offsets"]
        values = struct.unpack("<%df" % ((end - start) // 4), raw[8 + n + start:8 + n + end])
        out[name] = torch.tensor(values, dtype=torch.float32).reshape(spec["shape"])
    return out


def main():
    torch.manual_seed(0)
    net = model().eval()
    if sys.argv[1] == "from-torch":
        with torch.no_grad():   # running statistics and an affine part of their own, so they are tested
            bn = net[2]
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 1.5)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
        x = torch.randn(3, 2, 9, 8)
        with torch.no_grad():
            y = net(x)
        write(sys.argv[2], net.state_dict())
        write(sys.argv[3], {"x": x, "y": y})
    elif sys.argv[1] == "to-torch":
        state = read(sys.argv[2])
        # Dendrite keeps no num_batches_tracked (its momentum is fixed, so PyTorch does not read it either)
        state["2.num_batches_tracked"] = torch.tensor(0)
        net.load_state_dict(state, strict=True)
        x = read(sys.argv[3])["x"]
        with torch.no_grad():
            write(sys.argv[4], {"y": net(x)})
    else:
        raise SystemExit("usage: from-torch WEIGHTS IO | to-torch WEIGHTS IN OUT")


if __name__ == "__main__":
    main()
