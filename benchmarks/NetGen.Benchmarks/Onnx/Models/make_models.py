#!/usr/bin/env python3
"""Writes the model the benchmark's import comparison adds to the test fixtures (compare's imported-ONNX table).

Run from this folder with Debian's python3-torch 1.13 (which made the committed file):
    /usr/bin/python3 make_models.py

    lenet5.onnx   LeNet-5 on 28 x 28 images as torch.onnx.export writes it (opset 13, eval mode, batch dimension
                  symbolic): conv 5x5 pad 2 (6) relu -> max 2 -> conv 5x5 (16) relu -> max 2 -> flatten
                  -> linear 120 relu -> linear 84 relu -> linear 10 (logits), PyTorch's default initialisation.
The weights are untrained: the comparison times the forward pass and checks that both engines give the same outputs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.f5 = nn.Linear(16 * 5 * 5, 120)
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.f5(torch.flatten(x, 1)))
        return self.output(F.relu(self.f6(x)))


model = LeNet5().eval()
torch.onnx.export(model, torch.randn(1, 1, 28, 28), "lenet5.onnx", opset_version=13, input_names=["image"],
                  output_names=["logits"], dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
