#!/usr/bin/python3
"""PyTorch CPU peer of bench/train-step.bench.ts: the same ResNet (v1.5 layout) + GAP +
Dense(512) [+ Dense(1000), softmax cross-entropy, SGD momentum], same batch and image size.

Run with Debian's python3-torch (/usr/bin/python3). Prints one JSON object on stdout.
The network is written out here (no torchvision) so that both sides build the same layers.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time

import torch
from torch import nn


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * self.expansion
        self.body = nn.Sequential(
            nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout),
        )
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        return torch.relu(self.body(x) + s)


class Basic(nn.Module):
    expansion = 1

    def __init__(self, cin, width, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width),
        )
        self.short = None
        if stride != 1 or cin != width:
            self.short = nn.Sequential(nn.Conv2d(cin, width, 1, stride, bias=False), nn.BatchNorm2d(width))

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        return torch.relu(self.body(x) + s)


ARCHS = {"resnet50": (Bottleneck, [3, 4, 6, 3]), "resnet18": (Basic, [2, 2, 2, 2])}


def backbone(arch):
    block, depths = ARCHS[arch]
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for i, (width, depth) in enumerate(zip([64, 128, 256, 512], depths)):
        for j in range(depth):
            layers.append(block(cin, width, 2 if (j == 0 and i > 0) else 1))
            cin = width * block.expansion
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 512)), cin


def timed(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    times = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(steps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    cores = (time.process_time() - cpu0) / (time.perf_counter() - t0)
    return statistics.median(times), cores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", choices=sorted(ARCHS), required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    # Debian's build defaults to 1 thread: set it, or the peer runs ~11x slower than it can.
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    emb, _ = backbone(a.arch)
    full = nn.Sequential(emb, nn.Linear(512, 1000))
    x = torch.rand(a.batch, 3, a.size, a.size)
    y = torch.randint(0, 1000, (a.batch,))
    opt = torch.optim.SGD(full.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def forward():
        with torch.no_grad():
            emb(x)

    def train():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(full(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    emb.eval()
    fwd, fwd_cores = timed(forward, a.warmup, a.steps)
    full.train()
    trn, trn_cores = timed(train, a.warmup, a.steps)
    print(json.dumps({
        "engine": f"PyTorch {torch.__version__} CPU ({sys.executable}, Python {platform.python_version()})",
        "arch": a.arch,
        "threads": torch.get_num_threads(),
        "forwardMsPerImage": round(fwd * 1000 / a.batch, 2),
        "trainMsPerImage": round(trn * 1000 / a.batch, 2),
        "coresUsedForward": round(fwd_cores, 2),
        "coresUsedTrain": round(trn_cores, 2),
        "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "blas": torch.__config__.show().split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in torch.__config__.show() else None,
    }))


if __name__ == "__main__":
    main()
