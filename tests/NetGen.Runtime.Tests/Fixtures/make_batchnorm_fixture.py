#!/usr/bin/env python3
"""Writes batchnorm-cnn.safetensors and batchnorm-cnn-io.safetensors with PyTorch (made with Debian's python3-torch 1.13).

The network is NetGen's BatchNormCnn (tests/NetGen.Runtime.Tests/BatchNormFixtureTests.cs), module for node:
Conv2d(2, 4, 3, padding=1) + ReLU, BatchNorm2d(4), MaxPool2d(2), flatten, Linear(64, 6), BatchNorm1d(6, momentum=0.2),
Linear(6, 3) + softmax. Five SGD steps in train mode move the running statistics away from (0, 1) and count five batches.

batchnorm-cnn.safetensors: the state_dict as PyTorch names it: weights and running statistics F32, num_batches_tracked
I64 of shape [] (written by hand below: torch 1.13 has no safetensors package).
batchnorm-cnn-io.safetensors: 'inputs' [4, 2, 8, 8]; 'eval_outputs' [4, 3], the softmax in eval mode (running
statistics); 'train_outputs' [4, 3], the softmax in train mode (the batch's statistics) of the same inputs; and each
BatchNorm's running_mean / running_var / num_batches_tracked after that one train-mode pass ('N1.running_mean_after', ...).
Run it from this folder: python3 make_batchnorm_fixture.py
"""
import copy
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class BatchNormCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.C = nn.Conv2d(2, 4, 3, padding=1)
        self.N1 = nn.BatchNorm2d(4)
        self.H = nn.Linear(64, 6)
        self.N2 = nn.BatchNorm1d(6, momentum=0.2)
        self.Y = nn.Linear(6, 3)

    def logits(self, x):
        x = self.N1(torch.relu(self.C(x)))
        x = torch.flatten(F.max_pool2d(x, 2), 1)
        return self.Y(self.N2(self.H(x)))

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def write(path, tensors):
    """tensors: list of (name, tensor) in buffer order; float32 as F32, int64 as I64, shapes as they are (a scalar is [])."""
    header = {"__metadata__": {"format": "pt"}}
    data = b""
    for name, tensor in tensors:
        tensor = tensor.detach().contiguous()
        if tensor.dtype == torch.int64:
            dtype, blob = "I64", struct.pack("<%dq" % tensor.numel(), *tensor.flatten().tolist())
        else:
            dtype, blob = "F32", struct.pack("<%df" % tensor.numel(), *tensor.float().flatten().tolist())
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


torch.manual_seed(15)
model = BatchNormCnn()
# γ and β away from 1 and 0, so that a mix-up of the two (or of the running statistics) shows.
with torch.no_grad():
    for bn in (model.N1, model.N2):
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model.train()
for step in range(5):
    x = torch.randn(8, 2, 8, 8) * 2 + 0.5
    labels = torch.randint(0, 3, (8,))
    optimizer.zero_grad()
    F.cross_entropy(model.logits(x), labels).backward()
    optimizer.step()

write("batchnorm-cnn.safetensors", list(model.state_dict().items()))

inputs = torch.randn(4, 2, 8, 8) * 2 + 0.5
model.eval()
with torch.no_grad():
    eval_outputs = model(inputs)
trained = copy.deepcopy(model)
trained.train()
with torch.no_grad():
    train_outputs = trained(inputs)
after = []
for name in ("N1", "N2"):
    bn = getattr(trained, name)
    after += [(name + ".running_mean_after", bn.running_mean), (name + ".running_var_after", bn.running_var),
              (name + ".num_batches_tracked_after", bn.num_batches_tracked)]
write("batchnorm-cnn-io.safetensors", [("inputs", inputs), ("eval_outputs", eval_outputs), ("train_outputs", train_outputs)] + after)
print("num_batches_tracked:", int(model.N1.num_batches_tracked), "eval outputs:", eval_outputs[0].tolist())
