"""PyTorch CPU peer for bench/evaluate.bench.ts: ResNet50 v1.5 (torchvision layout) at 112x112,
global average pooling, Linear(2048 -> 512); eval mode, no_grad, float32, 2 threads.
Prints one JSON line: {"torch": version, "threads": n, "batch": b, "ms_per_image": [...runs]}.
Usage: python3 torch_resnet50_forward.py BATCH RUNS"""
import json
import sys
import time

import torch
import torch.nn as nn


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)  # v1.5: stride on the 3x3
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)) + idt)


class ResNet50Embedding(nn.Module):
    def __init__(self, dim=512):
        super().__init__()
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for i in range(blocks):
                layers.append(Bottleneck(cin, width, stride if i == 0 else 1))
                cin = width * 4
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, dim)

    def forward(self, x):
        return self.fc(self.features(x).mean(dim=(2, 3)))


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = ResNet50Embedding().eval()
    x = torch.rand(batch, 3, 112, 112)
    times = []
    with torch.no_grad():
        model(x)  # warm-up
        for _ in range(runs):
            t = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t) * 1000 / batch)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": batch, "ms_per_image": times}))


if __name__ == "__main__":
    main()
