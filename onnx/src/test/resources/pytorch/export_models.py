"""Exports seeded PyTorch models to ONNX for OnnxImportPyTorchTest and OnnxImportErrorsTest.

python3 export_models.py DIR writes DIR/<model>-opset<N>.onnx for the supported models at opsets 9
to 17 (14 to 17 for 'activations', whose Hardswish is an ONNX op from 14; with a dynamic batch axis), and DIR/<name>.onnx for
the unsupported ones (and residual.onnx, once unsupported); for each
supported model it prints '<model> input v...' and '<model> output v...': a fixed batch of 3 and
PyTorch's output for it in eval() mode, every float32 exactly (repr of its double).
"""
import sys
import torch
import torch.nn as nn

out_dir = sys.argv[1]
torch.manual_seed(2026)
torch.set_num_threads(1)


def randomize_batch_norms(model):
    """Running statistics, scale and shift away from their initial values (1, 0), as after training."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
                m.eps = 1e-3  # not the default, so that a wrong epsilon shows


class MatMulAdd(nn.Module):
    """x @ W + b as two nodes (MatMul, then Add), as some exporters write a Linear layer."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_in, n_out) * 0.3)
        self.b = nn.Parameter(torch.randn(n_out) * 0.3)

    def forward(self, x):
        return x @ self.w + self.b


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(6, 6)

    def forward(self, x):
        return x + self.inner(x)


def mlp():
    m = nn.Sequential(nn.Linear(7, 13), nn.ReLU(), nn.BatchNorm1d(13), nn.Dropout(0.3),
                      nn.Linear(13, 11, bias=False), nn.Tanh(), MatMulAdd(11, 9), nn.Sigmoid(),
                      nn.Linear(9, 5), nn.Softmax(dim=1))
    randomize_batch_norms(m)
    return m, (3, 7)


def cnn():
    m = nn.Sequential(nn.Conv2d(3, 5, 3, padding=1), nn.BatchNorm2d(5), nn.ReLU(), nn.BatchNorm2d(5),
                      nn.MaxPool2d(2), nn.Conv2d(5, 6, 3, stride=2, padding=1, bias=False), nn.ReLU(),
                      nn.MaxPool2d(3, stride=1, padding=1), nn.AvgPool2d(2, padding=1), nn.Flatten(),
                      nn.Linear(24, 7))
    randomize_batch_norms(m)
    return m, (3, 3, 11, 10)


def gap():
    # A fresh BatchNorm2d: its weight equals running_var and its bias running_mean, which the exporter
    # writes once, with Identity nodes for the copies.
    m = nn.Sequential(nn.Conv2d(2, 4, (3, 2), dilation=2), nn.LeakyReLU(0.2), nn.BatchNorm2d(4), nn.ELU(0.7),
                      nn.AvgPool2d(3, stride=1), nn.SELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3),
                      nn.Softmax(dim=-1))
    return m, (3, 2, 9, 9)


class View(nn.Module):
    """x.view(x.size(0), -1), or x.view(x.size(0), x.size(1), -1): Shape, Gather, Unsqueeze, Concat, Reshape."""

    def __init__(self, keep_channels=False):
        super().__init__()
        self.keep_channels = keep_channels

    def forward(self, x):
        return x.view(x.size(0), x.size(1), -1) if self.keep_channels else x.view(x.size(0), -1)


class Rows(nn.Module):
    """Each sample as 2 rows of 4 (x.reshape(x.shape[0], 2, 4)), then the rows back as one (a constant [-1, 8])."""

    def __init__(self, flat):
        super().__init__()
        self.flat = flat

    def forward(self, x):
        return x.reshape(-1, 8) if self.flat else x.reshape(x.shape[0], 2, 4)


def views():
    m = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), View(True), nn.Softmax(dim=-1), View(), nn.Linear(100, 8),
                      Rows(False), nn.Softmax(dim=-1), Rows(True), nn.Linear(8, 3))
    return m, (3, 2, 7, 7)


def activations():
    """PReLU per channel and shared, Hardswish (an ONNX op from opset 14), Softplus and LogSoftmax."""
    m = nn.Sequential(nn.Conv2d(2, 4, 3), nn.PReLU(4), nn.Hardswish(), nn.Flatten(), nn.Linear(100, 9), nn.PReLU(),
                      nn.Softplus(), nn.Linear(9, 5), nn.LogSoftmax(dim=1))
    with torch.no_grad():
        for p in m.modules():
            if isinstance(p, nn.PReLU):
                p.weight.uniform_(-0.5, 0.8)  # slopes of both signs, not the initial 0.25
    return m, (3, 2, 7, 7)


class BasicBlock(nn.Module):
    """ResNet's: conv-bn-relu-conv-bn plus the input (or its 1x1 conv-bn projection when the shape changes), relu."""

    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Identity() if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + self.shortcut(x))


def resnet():
    m = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), BasicBlock(4, 4), BasicBlock(4, 6, stride=2),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 5))
    randomize_batch_norms(m)
    return m, (3, 3, 8, 8)


class Inception(nn.Module):
    """Three branches joined along the channels: 1x1 conv; 1x1 then 3x3 conv; 3x3 max pool then 1x1 conv."""

    def __init__(self, c_in):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(c_in, 2, 1), nn.ReLU())
        self.b = nn.Sequential(nn.Conv2d(c_in, 3, 1), nn.ReLU(), nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())
        self.c = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(c_in, 3, 1), nn.ReLU())

    def forward(self, x):
        return torch.cat([self.a(x), self.b(x), self.c(x)], dim=1)


class Pair(nn.Module):
    """A conv, then its output joined along the channels with a 1x1 conv of it after a BatchNorm2d (not folded)."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(9, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.b = nn.Conv2d(2, 3, 1)

    def forward(self, x):
        a = torch.tanh(self.a(x))
        return torch.cat([self.b(self.bn(a)), a], dim=1)


def inception():
    m = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), Inception(4), Pair(), nn.MaxPool2d(2), nn.Flatten(),
                      nn.Linear(45, 4))
    randomize_batch_norms(m)
    return m, (3, 2, 8, 8)


class PreNorm(nn.Module):
    """A transformer's feed-forward block on rows: x + fc2(gelu(fc1(layer_norm(x))))."""

    def __init__(self, n, hidden):
        super().__init__()
        self.norm = nn.LayerNorm(n)
        self.fc1 = nn.Linear(n, hidden)
        self.fc2 = nn.Linear(hidden, n)

    def forward(self, x):
        return x + self.fc2(nn.functional.gelu(self.fc1(self.norm(x))))


class Gate(nn.Module):
    """x * sigmoid(fc(x)): a Mul of two values computed from the data."""

    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(n, n)

    def forward(self, x):
        return x * torch.sigmoid(self.fc(x))


class Widen(nn.Module):
    """cat([x, relu(fc(x))], dim=1): features joined."""

    def __init__(self, n, more):
        super().__init__()
        self.fc = nn.Linear(n, more)

    def forward(self, x):
        return torch.cat([x, torch.relu(self.fc(x))], dim=1)


class ClampMin(nn.Module):
    def forward(self, x):
        return torch.clamp(x, min=0.0)


def blocks():
    """GELU (the Erf pattern, and the tanh form's), LayerNorm (decomposed below opset 17), residual add, gate, concat,
    clamp(min=0)."""
    m = nn.Sequential(nn.Linear(7, 8), nn.GELU(), PreNorm(8, 16), Gate(8), Widen(8, 4), ClampMin(),
                      nn.LayerNorm(12, eps=1e-3), nn.GELU(approximate='tanh'), nn.Linear(12, 3))
    with torch.no_grad():
        for p in m.modules():
            if isinstance(p, nn.LayerNorm):
                p.weight.uniform_(0.5, 1.5)
                p.bias.uniform_(-0.3, 0.3)
    return m, (3, 7)


def grouped():
    """A grouped convolution (2 groups) and a depthwise one."""
    m = nn.Sequential(nn.Conv2d(4, 6, 3, groups=2), nn.ReLU(), nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.Flatten(),
                      nn.Linear(216, 3))
    return m, (3, 4, 8, 8)


class Clamped(nn.Module):
    def __init__(self, lo, hi):
        super().__init__()
        self.lo = lo
        self.hi = hi

    def forward(self, x):
        return torch.clamp(x, min=self.lo, max=self.hi)


def clamps():
    """ReLU6, Hardtanh(-0.5, 0.75) and torch.clamp(min=-1, max=2): Clip with both bounds (attributes below
    opset 11, inputs from 11). The first layer's weights are scaled up so that values fall on both sides of
    every bound."""
    m = nn.Sequential(nn.Linear(6, 8), nn.ReLU6(), nn.Linear(8, 6), nn.Hardtanh(-0.5, 0.75), nn.Linear(6, 5),
                      Clamped(-1.0, 2.0), nn.Linear(5, 3))
    with torch.no_grad():
        m[0].weight.mul_(8)
        m[2].weight.mul_(2)
        m[4].weight.mul_(4)
    return m, (3, 6)


class BroadcastAdd(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 1)

    def forward(self, x):
        return x + self.fc(x)


class BatchCat(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)

    def forward(self, x):
        return torch.cat([x, self.fc(x)], dim=0)


class Center(nn.Module):
    """x minus its mean over the features: LayerNorm's first nodes, not followed by the rest."""

    def forward(self, x):
        return x - x.mean(dim=-1, keepdim=True)


class PerFeature(nn.Module):
    """A constant of one value per feature: broadcasting, which import refuses."""

    def forward(self, x):
        return x * torch.tensor([1.0, 2.0, 3.0, 4.0])


class SelfDiv(nn.Module):
    """Div of two data values (torch writes 3 / x as Reciprocal and Mul)."""

    def forward(self, x):
        return x / x


class Scalars(nn.Module):
    """Arithmetic with constants in forward, as models normalize their input or rescale a layer's output."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(7, 12)
        self.fc2 = nn.Linear(12, 12)
        self.fc3 = nn.Linear(12, 5)

    def forward(self, x):
        x = (x / 255.0 - 0.5) * 2.0
        x = torch.relu(self.fc1(x)) + 0.25
        x = 1.5 - self.fc2(x)
        return self.fc3(x * 0.75) / 3


def scalars():
    return Scalars(), (3, 7)


def export(m, shape, path, opset):
    m.eval()
    torch.onnx.export(m, torch.randn(*shape), path, opset_version=opset, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def show(name, t):
    print(name, ' '.join(repr(v) for v in t.reshape(-1).tolist()))


def export_opsets(name, build, seed, opsets):
    """The model build() makes, with weights from its own seed (the same whatever is exported before it), its
    input and PyTorch's output printed, exported at each opset."""
    torch.manual_seed(seed)
    m, shape = build()
    m.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        y = m(x)
    show(name + " input", x)
    show(name + " output", y)
    for opset in opsets:
        export(m, shape, "%s/%s-opset%d.onnx" % (out_dir, name, opset), opset)


for seed, (name, build) in enumerate((("mlp", mlp), ("cnn", cnn), ("gap", gap), ("views", views))):
    export_opsets(name, build, 2026 + seed, range(9, 18))
export_opsets("activations", activations, 2030, range(14, 18))
for seed, (name, build) in enumerate((("resnet", resnet), ("inception", inception), ("blocks", blocks),
                                      ("grouped", grouped), ("clamps", clamps))):
    export_opsets(name, build, 2031 + seed, range(9, 18))
export_opsets("scalars", scalars, 2036, range(9, 18))

export(nn.Sequential(nn.Linear(6, 4), Clamped(1.0, -1.0)), (3, 6), out_dir + "/clip-reversed.onnx", 13)
export(nn.Sequential(Residual(), nn.ReLU()), (3, 6), out_dir + "/residual.onnx", 13)
export(nn.Sequential(BroadcastAdd(), nn.ReLU()), (3, 6), out_dir + "/broadcast-add.onnx", 13)
export(nn.Sequential(BatchCat(), nn.ReLU()), (3, 6), out_dir + "/batch-cat.onnx", 13)
export(nn.Sequential(nn.Linear(6, 4), PerFeature()), (3, 6), out_dir + "/mul-constant.onnx", 13)
export(nn.Sequential(nn.Linear(6, 4), SelfDiv()), (3, 6), out_dir + "/div.onnx", 13)
export(nn.Sequential(nn.Linear(6, 4), Center()), (3, 6), out_dir + "/center.onnx", 13)
export(nn.Sequential(nn.Conv2d(2, 3, 3), nn.AvgPool2d(2, padding=1, count_include_pad=False)), (3, 2, 8, 8),
       out_dir + "/exclude-pad.onnx", 13)
