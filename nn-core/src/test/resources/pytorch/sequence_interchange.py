"""PyTorch's side of SequenceInterchangeTest: an embedding, an LSTM, a GRU and a linear head.

  python3 sequence_interchange.py from-torch WEIGHTS IO      seeded torch weights to WEIGHTS; token ids "x"
                                                             and torch's output "y" to IO
  python3 sequence_interchange.py train WEIGHTS IO OUT       loads WEIGHTS (strict), takes 20 SGD steps on
                                                             IO's "x" and "t" (MSE), writes the weights and
                                                             each step's loss ("losses") to OUT

The modules are registered as "0" to "3", so the state dict has the names a Dendrite Sequential of
the same layers gives (0.weight, 1.weight_ih_l0, ...). Safetensors is read and written by hand, as in
cnn_interchange.py. The layers must match SequenceInterchangeTest.model() one for one.
"""
import sys

import torch
from torch import nn

from cnn_interchange import read, write

STEPS, VOCAB = 9, 13


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.add_module("0", nn.Embedding(VOCAB, 6, padding_idx=0))
        self.add_module("1", nn.LSTM(6, 8, batch_first=True))
        self.add_module("2", nn.GRU(8, 7, batch_first=True))
        self.add_module("3", nn.Linear(7, 3))

    def forward(self, ids):
        e = self._modules["0"](ids.long())
        s, _ = self._modules["1"](e)
        s, _ = self._modules["2"](s)
        return self._modules["3"](s[:, -1, :])


def main():
    torch.manual_seed(0)
    net = Net()
    if sys.argv[1] == "from-torch":
        x = torch.randint(0, VOCAB, (4, STEPS)).float()
        x[0, :3] = 0                                     # some padding
        with torch.no_grad():
            y = net(x)
        write(sys.argv[2], net.state_dict())
        write(sys.argv[3], {"x": x, "y": y})
    elif sys.argv[1] == "train":
        net.load_state_dict(read(sys.argv[2]), strict=True)
        io = read(sys.argv[3])
        x, t = io["x"], io["t"]
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        losses = []
        for _ in range(20):
            opt.zero_grad()
            loss = nn.functional.mse_loss(net(x), t)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out = dict(net.state_dict())
        out["losses"] = torch.tensor(losses)
        write(sys.argv[4], out)
    else:
        raise SystemExit("usage: from-torch WEIGHTS IO | train WEIGHTS IO OUT")


if __name__ == "__main__":
    main()
