"""Trains the small CNN that samples/OnnxImport compiles into C#, and exports it as ONNX.

Run from the repository root with Debian's PyTorch (python3-torch 1.13):

    /usr/bin/python3 samples/OnnxImport/train_digits_cnn.py

It reads the 8 x 8 digits of samples/data/digits.csv.gz, keeps every fifth row (index % 5 == 4, the test rows of
samples/Digits) for testing, as the C# sample does, trains for 40 epochs with a fixed seed, prints the test accuracy and writes
samples/OnnxImport/models/digits-cnn.onnx (opset 13, a symbolic batch dimension, logits out: no Softmax node).
"""
import gzip
import os

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "samples", "data", "digits.csv.gz")
OUT = os.path.join(ROOT, "samples", "OnnxImport", "models", "digits-cnn.onnx")


def load():
    with gzip.open(DATA, "rt") as f:
        rows = np.array([[float(v) for v in line.split(",")] for line in f if line.strip()], dtype=np.float32)
    x = rows[:, :64].reshape(-1, 1, 8, 8) / 16.0
    y = rows[:, 64].astype(np.int64)
    test = np.arange(len(rows)) % 5 == 4
    return x[~test], y[~test], x[test], y[test]


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))


def main():
    torch.manual_seed(0)
    x_train, y_train, x_test, y_test = load()
    model = DigitsCnn()
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    generator = torch.Generator().manual_seed(0)
    for _ in range(40):
        order = torch.randperm(len(xt), generator=generator)
        for start in range(0, len(xt), 64):
            batch = order[start:start + 64]
            optimiser.zero_grad()
            loss(model(xt[batch]), yt[batch]).backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(x_test)).argmax(1).numpy()
    print(f"test accuracy {100.0 * (predicted == y_test).mean():.2f} % on {len(y_test)} digits")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 1, 8, 8), OUT, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
