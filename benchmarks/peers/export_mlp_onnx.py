"""Writes the benchmarks' MLP (784-256-128-10, ReLU; PyTorch's default initialisation, seed 0) as an
ONNX file for OnnxInferenceBenchmark, with a dynamic batch dimension:

  python3 export_mlp_onnx.py OUT.onnx

Needs torch alone (Debian's python3-torch); opset 13.
"""
import sys

import torch
from torch import nn


def main():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
    torch.onnx.export(model, torch.randn(1, 784), sys.argv[1], input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
    print("wrote", sys.argv[1])


if __name__ == "__main__":
    main()
