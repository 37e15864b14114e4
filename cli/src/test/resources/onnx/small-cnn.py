"""Writes small-cnn.onnx, the fixture of ImportCommandTest (torch 1.13; run again only to change it)."""
import torch
import torch.nn as nn

torch.manual_seed(7)
m = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(4), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(4 * 3 * 3, 5), nn.Softmax(dim=1))
with torch.no_grad():
    m[2].running_mean.uniform_(-0.5, 0.5)
    m[2].running_var.uniform_(0.5, 2.0)
m.eval()
torch.onnx.export(m, torch.randn(1, 1, 6, 6), "small-cnn.onnx", opset_version=13, input_names=["input"],
                  output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
