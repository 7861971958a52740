#!/usr/bin/env python3
"""Writes the PyTorch fixtures of TorchFixtureTests: two convolutional networks built with torch.nn, their parameters
as PyTorch initialises them, and what PyTorch computes for a fixed batch (outputs, loss, parameter and input gradients).

Run it from this folder with PyTorch installed (Debian's python3-torch 1.13 made the committed files):
    python3 make_torch_fixtures.py
Each network gives two safetensors files, written here by hand (no safetensors package needed):
    <name>.safetensors           the parameters under PyTorch's names: what a user's torch model would save
    <name>.expected.safetensors  inputs, targets, outputs, loss, grad.<parameter>, grad.inputs
The NetGen declarations are in ../TorchFixtureNetworks.cs; the modules below mirror them layer for layer.
"""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class ImageNet(nn.Module):
    """TorchImageNet: [2, 10, 10] -> conv 3x3 pad 1 leaky(0.1) -> max 2 -> conv 2x2 stride 2 pad 1 tanh -> LayerNorm
    [5, 3, 3] -> avg 2 stride 1 -> flatten -> linear 6 sigmoid -> linear 3 (softmax cross-entropy, mean)."""

    def __init__(self):
        super().__init__()
        self.C1 = nn.Conv2d(2, 4, 3, padding=1)
        self.C2 = nn.Conv2d(4, 5, 2, stride=2, padding=1)
        self.N = nn.LayerNorm([5, 3, 3])
        self.F = nn.Linear(5 * 2 * 2, 6)
        self.Output = nn.Linear(6, 3)

    def forward(self, x):
        x = F.max_pool2d(F.leaky_relu(self.C1(x), 0.1), 2)
        x = torch.tanh(self.C2(x))
        x = F.avg_pool2d(self.N(x), 2, stride=1)
        x = torch.sigmoid(self.F(torch.flatten(x, 1)))
        return self.Output(x)  # logits; the network's output is their softmax


class SignalNet(nn.Module):
    """TorchSignalNet: [3, 17] -> conv1d 5 pad 2 relu -> max 3 stride 2 -> conv1d 3 stride 2 softplus, no bias
    -> avg 3 -> flatten -> linear 2 (mean squared error)."""

    def __init__(self):
        super().__init__()
        self.C1 = nn.Conv1d(3, 4, 5, padding=2)
        self.C2 = nn.Conv1d(4, 6, 3, stride=2, bias=False)
        self.Y = nn.Linear(6 * 1, 2)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.C1(x)), 3, stride=2)
        x = F.avg_pool1d(F.softplus(self.C2(x)), 3)
        return self.Y(torch.flatten(x, 1))


def write(path, tensors):
    """tensors: list of (name, tensor), written F32 in this order; 8 + header length a multiple of 8."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def make(name, model, inputs, targets, output_of, loss_of):
    write(name + ".safetensors", list(model.state_dict().items()))
    x = inputs.clone().requires_grad_(True)
    logits = model(x)
    loss = loss_of(logits, targets)
    loss.backward()
    expected = [("inputs", inputs), ("targets", targets), ("outputs", output_of(logits)), ("loss", loss.reshape(1))]
    expected += [("grad." + n, p.grad) for n, p in model.named_parameters()]
    expected.append(("grad.inputs", x.grad))
    write(name + ".expected.safetensors", expected)


def main():
    torch.manual_seed(15)
    batch = 3
    image = ImageNet()
    images = torch.randn(batch, 2, 10, 10)
    labels = torch.tensor([2, 0, 1])
    make("torch-image-net", image, images, F.one_hot(labels, 3).float(),
         lambda z: torch.softmax(z, dim=1), lambda z, t: F.cross_entropy(z, t.argmax(dim=1)))

    signal = SignalNet()
    signals = torch.randn(batch, 3, 17)
    wanted = torch.randn(batch, 2)
    make("torch-signal-net", signal, signals, wanted, lambda y: y, F.mse_loss)


if __name__ == "__main__":
    main()
