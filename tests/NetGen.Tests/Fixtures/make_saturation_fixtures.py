#!/usr/bin/env python3
"""Writes the float64 references of SaturationFixtureTests: three networks of saturating layers (two dense chains and a
convolutional one) fed inputs of magnitude 10^3, computed by PyTorch in float64 from float32 parameters and inputs.

Run it from this folder with PyTorch installed (Debian's python3-torch 1.13 made the committed files):
    python3 make_saturation_fixtures.py
Each network gives two safetensors files (written by hand, no safetensors package needed):
    <name>.safetensors           the parameters under PyTorch's names, F32 (the values both sides compute from)
    <name>.expected.safetensors  for each batch B in BATCHES: b<B>.inputs and b<B>.targets (F32), and, in F64,
                                 b<B>.outputs, b<B>.loss, b<B>.grad.<parameter>, b<B>.grad.inputs
It also prints how far PyTorch's own float32 pass is from its float64 one, tensor by tensor (largest error relative
to the tensor's largest value), for docs/accuracy.md. The NetGen declarations are in ../SaturationNetworks.cs.
"""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCHES = (1, 16)


class SigmoidTanhChain(nn.Module):
    """SaturatingChain (SaturationAccuracyTests.cs): 16 -> 24 sigmoid -> 20 tanh -> 12 sigmoid -> 9 tanh -> 3
    (mean squared error), the network of issue 19's report."""

    def __init__(self):
        super().__init__()
        self.H1 = nn.Linear(16, 24)
        self.H2 = nn.Linear(24, 20)
        self.H3 = nn.Linear(20, 12)
        self.H4 = nn.Linear(12, 9)
        self.Y = nn.Linear(9, 3)

    def forward(self, x):
        x = torch.sigmoid(self.H1(x))
        x = torch.tanh(self.H2(x))
        x = torch.sigmoid(self.H3(x))
        x = torch.tanh(self.H4(x))
        return self.Y(x)


class SoftChain(nn.Module):
    """SaturatingSoftChain: 16 -> 20 softplus -> 17 bipolar sigmoid -> 12 tanh -> 5 sigmoid (binary cross-entropy)."""

    def __init__(self):
        super().__init__()
        self.H1 = nn.Linear(16, 20)
        self.H2 = nn.Linear(20, 17)
        self.H3 = nn.Linear(17, 12)
        self.Y = nn.Linear(12, 5)

    def forward(self, x):
        x = F.softplus(self.H1(x))
        x = torch.tanh(self.H2(x) / 2)  # the bipolar sigmoid
        x = torch.tanh(self.H3(x))
        return self.Y(x)  # logits; the network's output is their sigmoid


class ConvNet(nn.Module):
    """SaturatingConvNet: [2, 11, 11] -> conv 3x3 sigmoid (6 x 9 x 9) -> avg 3 (6 x 3 x 3) -> conv 2x2 tanh (9 x 2 x 2)
    -> flatten -> linear 10 bipolar sigmoid -> linear 4 softplus (mean squared error)."""

    def __init__(self):
        super().__init__()
        self.C1 = nn.Conv2d(2, 6, 3)
        self.C2 = nn.Conv2d(6, 9, 2)
        self.F = nn.Linear(9 * 2 * 2, 10)
        self.Y = nn.Linear(10, 4)

    def forward(self, x):
        x = F.avg_pool2d(torch.sigmoid(self.C1(x)), 3)
        x = torch.tanh(self.C2(x))
        x = torch.tanh(self.F(torch.flatten(x, 1)) / 2)
        return F.softplus(self.Y(x))


def write(path, tensors):
    """tensors: list of (name, tensor, dtype), in this order; 8 + header length a multiple of 8."""
    header, blobs, offset = {}, [], 0
    for name, t, dtype in tensors:
        data = t.detach().to(torch.float64 if dtype == "F64" else torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def initialise(model, shrink):
    """Weights N(0, 9/fan-in) (divided by shrink[layer] where given) and biases N(0, 1), drawn in float32: z has about
    its inputs' spread in every layer, so that the first layer's z is of size 10^3. A layer reading softplus outputs
    of size 10^3 is shrunk, or every unit after it would saturate so far that no gradient survives in float64."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("weight"):
                p.copy_(torch.randn(p.shape) * (3 / (p[0].numel() ** 0.5) / shrink.get(name.split(".")[0], 1)))
            else:
                p.copy_(torch.randn(p.shape))


def run(model, inputs, targets, output_of, loss_of, dtype):
    m = model.to(dtype)
    m.zero_grad()
    x = inputs.to(dtype).clone().requires_grad_(True)
    z = m(x)
    loss = loss_of(z, targets.to(dtype))
    loss.backward()
    result = {"outputs": output_of(z), "loss": loss.reshape(1), "grad.inputs": x.grad}
    result.update({"grad." + n: p.grad.clone() for n, p in m.named_parameters()})
    return result


def make(name, model, input_shape, outputs, output_of, loss_of, shrink):
    initialise(model, shrink)
    write(name + ".safetensors", [(n, p, "F32") for n, p in model.state_dict().items()])
    expected = []
    for batch in BATCHES:
        inputs = torch.randn(batch, *input_shape) * 1000
        targets = torch.rand(batch, outputs)
        exact = run(model, inputs, targets, output_of, loss_of, torch.float64)
        single = run(model, inputs, targets, output_of, loss_of, torch.float32)
        expected += [(f"b{batch}.inputs", inputs, "F32"), (f"b{batch}.targets", targets, "F32")]
        expected += [(f"b{batch}.{k}", v, "F64") for k, v in exact.items()]
        for k, v in exact.items():
            assert v.abs().max().item() > 0, f"{name} B={batch}: {k} is all zeros, and would prove nothing"
            error = (single[k].double() - v).abs().max().item() / max(v.abs().max().item(), 1e-300)
            print(f"{name} B={batch} PyTorch float32 {k}: {error:.3g} of the largest value")
    write(name + ".expected.safetensors", expected)


def main():
    torch.manual_seed(19)
    make("saturating-chain", SigmoidTanhChain(), (16,), 3, lambda y: y, F.mse_loss, {})
    make("saturating-soft-chain", SoftChain(), (16,), 5, torch.sigmoid, F.binary_cross_entropy_with_logits, {"H2": 300})
    make("saturating-conv-net", ConvNet(), (2, 11, 11), 4, lambda y: y, F.mse_loss, {})


if __name__ == "__main__":
    main()
