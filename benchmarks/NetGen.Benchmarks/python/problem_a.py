"""Seed problem A in PyTorch, as the seed's script does it: Linear(1→64) → sigmoid → Linear(64→64) → sigmoid →
Linear(64→1), weights ~ N(0, 1), biases 0.03, MSELoss, plain SGD (lr 0.1), DataLoader batches of 128 without
shuffling, 1000 epochs (4000 steps).

Run by `compare` with --init <file>: the same data and initial weights as the other engines (little-endian float32:
512 x, 512 y, then W1, b1, W2, b2, W3, b3 in PyTorch's [out, in] layout). Without --init it draws its own
(torch.manual_seed(0)), as the seed does. Prints one JSON line: seconds, steps, first and final loss, threads.
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--init", help="data and initial weights written by the compare command")
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 64), nn.Sigmoid(), nn.Linear(64, 64), nn.Sigmoid(), nn.Linear(64, 1))
    if args.init:
        values = torch.from_file(args.init, size=512 * 2 + 4353, dtype=torch.float32)
        x, y, flat = values[:512].reshape(512, 1), values[512:1024].reshape(512, 1), values[1024:]
        with torch.no_grad():
            offset = 0
            for p in model.parameters():
                p.copy_(flat[offset:offset + p.numel()].reshape(p.shape))
                offset += p.numel()
    else:
        x = torch.randn(512, 1)
        y = (x - 2) * torch.cos(4 * x)
        with torch.no_grad():
            for m in model:
                if isinstance(m, nn.Linear):
                    m.weight.normal_(0, 1)
                    m.bias.fill_(0.03)

    loader = DataLoader(TensorDataset(x, y), batch_size=128, shuffle=False)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    first = final = None
    steps = 0
    start = time.perf_counter()
    for _ in range(args.epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            steps += 1
            if first is None:
                first = loss.item()
    final = loss.item()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "steps": steps, "first_loss": first, "final_loss": final,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
