#!/usr/bin/env python3
"""Writes the ONNX fixtures of the import tests (OnnxImportTests, OnnxDiagnosticTests).

Run from this folder with Debian's python3-torch 1.13 and python3-onnx 1.12 (which made the committed files):
    /usr/bin/python3 make_onnx_fixtures.py

Models exported by torch.onnx.export (opset 13, eval mode, as a user would), each with <name>.expected.json:
    dense-classifier.onnx   [10] -> linear 32 relu -> linear 16 sigmoid -> linear 3 (logits)
    residual.onnx           [8] -> linear 16 relu -> linear 16 tanh -> add -> x @ W.T + b (MatMul + Add) -> 4
    lenet.onnx              [1, 12, 12] -> conv 3x3 pad 1 (+ BatchNorm, folded by the exporter) relu -> max 2
                            -> conv 3x3 leaky(0.1) -> AvgPool2d 2 (Pad + AveragePool) -> flatten -> linear 16 softplus -> linear 5
    norms-13.onnx           [6] -> linear 12 relu -> BatchNorm1d (BatchNormalization) -> LayerNorm (ReduceMean, Sub,
                            Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) -> linear 3
    norms-17.onnx           the same at opset 17, where LayerNorm is one LayerNormalization node
    residual-cnn.onnx       [1, 8, 8] -> conv 3x3 (+ BatchNorm2d, folded) relu -> a residual block: conv (+ BN) relu,
                            conv (+ BN), Add, Relu (an activation of its own: an Add has none) -> max 2 -> flatten
                            -> linear 8 -> BatchNorm1d -> Relu (after a BatchNormalization: of its own) -> linear 3
dense-classifier.retrained.safetensors holds other weights for the dense classifier under PyTorch's names, and
dense-classifier.retrained.json what the model computes with them.
The expected file holds a batch of three: inputs, targets, PyTorch's outputs (logits), the loss the test's class is
declared with and every parameter's gradient under PyTorch's name, and grad.inputs.

residual-cnn.expected.json also holds eval_loss and the outputs of eval mode (running statistics); its gradients are
train mode's (BatchNorm1d's batch statistics) of the network the file describes (the folded convolutions).
Files made with onnx.helper for the diagnostics (each breaks one rule): unsupported-op.onnx (a Gemm then a Cos),
bad-attribute.onnx (a Conv with dilations 2), dynamic-shape.onnx (an input [N, K] with K symbolic), truncated.onnx
(dense-classifier.onnx cut in the middle of a weight), not-onnx.onnx (text), add-of-constant.onnx (a constant added to
a Gemm's output that is not a MatMul, then a Relu and a Gemm), mul-not-half.onnx (a Gemm, a Mul by 0.3, a Tanh).
"""
import copy
import json
import os
import sys

import onnx
import onnx.helper as oh
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto

torch.manual_seed(18)
BATCH = 3


class DenseClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.fc2 = nn.Linear(32, 16)
        self.out = nn.Linear(16, 3)

    def forward(self, x):
        return self.out(torch.sigmoid(self.fc2(F.relu(self.fc1(x)))))


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 16)
        # x @ W.T + b written by hand: the exporter stores W pre-transposed and writes MatMul + Add.
        self.head_weight = nn.Parameter(torch.randn(4, 16) * 0.25)
        self.head_bias = nn.Parameter(torch.randn(4) * 0.1)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        h2 = torch.tanh(self.fc2(h1))
        return (h1 + h2) @ self.head_weight.t() + self.head_bias


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3)
        self.fc1 = nn.Linear(6 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.avg_pool2d(F.leaky_relu(self.conv2(x), 0.1), 2)
        x = F.softplus(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def export(model, name, sample):
    model.eval()
    torch.onnx.export(model, sample, name + ".onnx", opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def expected(model, name, parameters, inputs, targets, loss_of):
    """What PyTorch computes for the batch with the parameters the ONNX file holds."""
    inputs = inputs.clone().requires_grad_(True)
    outputs = model(inputs)
    loss = loss_of(outputs, targets)
    grads = torch.autograd.grad(loss, [p for _, p in parameters] + [inputs])
    data = {"inputs": values(inputs), "targets": values(targets), "outputs": values(outputs), "loss": float(loss)}
    for (n, _), g in zip(parameters, grads):
        data["grad." + n] = values(g)
    data["grad.inputs"] = values(grads[-1])
    with open(name + ".expected.json", "w") as f:
        json.dump(data, f, indent=0)


def cross_entropy(logits, targets):
    return F.cross_entropy(logits, targets)  # targets: probabilities (one-hot rows), mean over the batch


def one_hot(classes, labels):
    return F.one_hot(torch.tensor(labels), classes).float()


def dense_classifier():
    model = DenseClassifier()
    export(model, "dense-classifier", torch.randn(1, 10))
    expected(model, "dense-classifier", list(model.named_parameters()), torch.randn(BATCH, 10), one_hot(3, [2, 0, 1]),
             cross_entropy)


def residual():
    model = Residual()
    export(model, "residual", torch.randn(1, 8))
    expected(model, "residual", list(model.named_parameters()), torch.randn(BATCH, 8), torch.randn(BATCH, 4),
             F.mse_loss)


def lenet():
    model = LeNet()
    # Running statistics that are not 0 and 1, so that folding BatchNorm into conv1 changes its weights.
    with torch.no_grad():
        model.bn1.running_mean.copy_(torch.randn(4) * 0.2)
        model.bn1.running_var.copy_(torch.rand(4) + 0.5)
        model.bn1.weight.copy_(torch.rand(4) + 0.5)
        model.bn1.bias.copy_(torch.randn(4) * 0.1)
    export(model, "lenet", torch.randn(1, 1, 12, 12))
    # In eval mode the exporter folds bn1 into conv1: the file's conv1 is W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β.
    # The gradients are those of that folded convolution, the network the file describes.
    folded = LeNet()
    folded.load_state_dict(model.state_dict())
    folded.eval()
    scale = folded.bn1.weight / torch.sqrt(folded.bn1.running_var + folded.bn1.eps)
    with torch.no_grad():
        folded.conv1.weight.mul_(scale.reshape(-1, 1, 1, 1))
        folded.conv1.bias.copy_((folded.conv1.bias - folded.bn1.running_mean) * scale + folded.bn1.bias)
    folded.bn1 = nn.Identity()
    expected(folded, "lenet", list(folded.named_parameters()), torch.randn(BATCH, 1, 12, 12), one_hot(5, [4, 1, 3]),
             cross_entropy)


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 12)
        self.bn = nn.BatchNorm1d(12)
        self.ln = nn.LayerNorm(12)
        self.out = nn.Linear(12, 3)

    def forward(self, x):
        return self.out(self.ln(self.bn(F.relu(self.fc1(x)))))


def norms():
    """Forward and ComputeLoss use the running statistics (eval mode); Backward trains, with the batch's statistics."""
    model = Norms()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(12) * 0.3)
        model.bn.running_var.copy_(torch.rand(12) + 0.5)
        model.bn.weight.copy_(torch.rand(12) + 0.5)
        model.bn.bias.copy_(torch.randn(12) * 0.1)
        model.ln.weight.copy_(torch.rand(12) + 0.5)
        model.ln.bias.copy_(torch.randn(12) * 0.1)
    export(model, "norms-13", torch.randn(2, 6))
    model.eval()
    torch.onnx.export(model, torch.randn(2, 6), "norms-17.onnx", opset_version=17, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    inputs, targets = torch.randn(BATCH, 6), torch.randn(BATCH, 3)
    eval_loss = float(F.mse_loss(model(inputs), targets))
    trained = copy.deepcopy(model).train()
    expected(trained, "norms", list(trained.named_parameters()), inputs, targets, F.mse_loss)
    with open("norms.expected.json") as f:
        data = json.load(f)
    data["outputs"] = values(model(inputs))
    data["eval_loss"] = eval_loss
    data["running_mean"] = values(model.bn.running_mean)
    data["running_var"] = values(model.bn.running_var)
    with open("norms.expected.json", "w") as f:
        json.dump(data, f, indent=0)


class ResidualCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn0 = nn.BatchNorm2d(4)
        self.conv1 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 8)
        self.bn3 = nn.BatchNorm1d(8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.bn0(self.conv0(x)))
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        x = F.max_pool2d(F.relu(x + y), 2)
        x = F.relu(self.bn3(self.fc(torch.flatten(x, 1))))
        return self.out(x)


def randomise(bn):
    """Running statistics and an affine part that are not 0, 1, 1 and 0, so that folding and normalising change values."""
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(bn.num_features) * 0.2)
        bn.running_var.copy_(torch.rand(bn.num_features) + 0.5)
        bn.weight.copy_(torch.rand(bn.num_features) + 0.5)
        bn.bias.copy_(torch.randn(bn.num_features) * 0.1)


def fold(conv, bn):
    """What the exporter makes of conv then bn in eval mode: W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    with torch.no_grad():
        conv.weight.mul_(scale.reshape(-1, 1, 1, 1))
        conv.bias.copy_((conv.bias - bn.running_mean) * scale + bn.bias)


def residual_cnn():
    """A residual block whose ReLU follows the Add, and a BatchNorm1d whose ReLU follows it: activations of their own."""
    torch.manual_seed(1518)
    model = ResidualCnn()
    for bn in (model.bn0, model.bn1, model.bn2, model.bn3):
        randomise(bn)
    export(model, "residual-cnn", torch.randn(1, 1, 8, 8))
    folded = copy.deepcopy(model).eval()
    for conv, bn in ((folded.conv0, folded.bn0), (folded.conv1, folded.bn1), (folded.conv2, folded.bn2)):
        fold(conv, bn)
    folded.bn0, folded.bn1, folded.bn2 = nn.Identity(), nn.Identity(), nn.Identity()
    # In float64: through three convolutions and a batch normalisation of three samples PyTorch's float32 gradients are
    # 2e-5 from the exact ones, more than the test's 1e-5 (NetGen's float32 ones are closer).
    inputs, targets = torch.randn(BATCH, 1, 8, 8).double(), one_hot(3, [1, 2, 0]).double()
    folded = folded.double()
    eval_outputs = folded(inputs)
    eval_loss = float(cross_entropy(eval_outputs, targets))
    trained = copy.deepcopy(folded).train()
    expected(trained, "residual-cnn", list(trained.named_parameters()), inputs, targets, cross_entropy)
    with open("residual-cnn.expected.json") as f:
        data = json.load(f)
    data["outputs"] = values(eval_outputs)
    data["eval_loss"] = eval_loss
    with open("residual-cnn.expected.json", "w") as f:
        json.dump(data, f, indent=0)


def retrained_classifier():
    """Weights for the dense classifier from another training run, as PyTorch saves them (safetensors, its names), and
    what the model computes with them: loaded into the imported class, they replace the embedded weights."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)) + "/..")
    from make_torch_fixtures import write  # the repository's one hand-written safetensors writer
    model = DenseClassifier().eval()
    write("dense-classifier.retrained.safetensors", list(model.state_dict().items()))
    inputs = torch.randn(BATCH, 10)
    with open("dense-classifier.retrained.json", "w") as f:
        json.dump({"inputs": values(inputs), "outputs": values(model(inputs))}, f, indent=0)


def helper_model(name, nodes, inputs, outputs, initializers):
    graph = oh.make_graph(nodes, name, inputs, outputs, initializers)
    model = oh.make_model(graph, producer_name="make_onnx_fixtures", opset_imports=[oh.make_opsetid("", 13)])
    onnx.save(model, name + ".onnx")


def weights(name, *shape):
    t = torch.randn(*shape) * 0.3
    return oh.make_tensor(name, TensorProto.FLOAT, list(shape), values(t))


def diagnostics():
    helper_model("unsupported-op",
                 [oh.make_node("Gemm", ["input", "fc.weight", "fc.bias"], ["h"], name="/fc/Gemm", transB=1),
                  oh.make_node("Cos", ["h"], ["output"], name="/Cos")],
                 [oh.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
                 [oh.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2])],
                 [weights("fc.weight", 2, 4), weights("fc.bias", 2)])
    helper_model("bad-attribute",
                 [oh.make_node("Conv", ["input", "conv.weight", "conv.bias"], ["output"], name="/conv/Conv",
                               kernel_shape=[3, 3], dilations=[2, 2], pads=[0, 0, 0, 0], strides=[1, 1])],
                 [oh.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, 8, 8])],
                 [oh.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2, 4, 4])],
                 [weights("conv.weight", 2, 1, 3, 3), weights("conv.bias", 2)])
    helper_model("dynamic-shape",
                 [oh.make_node("Gemm", ["input", "fc.weight", "fc.bias"], ["output"], name="/fc/Gemm", transB=1)],
                 [oh.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", "features"])],
                 [oh.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2])],
                 [weights("fc.weight", 2, 4), weights("fc.bias", 2)])
    # A constant added to a Gemm's output: NetGen adds constants only as a MatMul's bias. The Relu and the Gemm after
    # it must not be reported as well.
    helper_model("add-of-constant",
                 [oh.make_node("Gemm", ["input", "a.weight", "a.bias"], ["h"], name="/a/Gemm", transB=1),
                  oh.make_node("Add", ["h", "shift"], ["sum"], name="/Add"),
                  oh.make_node("Relu", ["sum"], ["r"], name="/Relu"),
                  oh.make_node("Gemm", ["r", "c.weight", "c.bias"], ["output"], name="/c/Gemm", transB=1)],
                 [oh.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
                 [oh.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2])],
                 [weights("a.weight", 4, 4), weights("a.bias", 4), weights("shift", 4),
                  weights("c.weight", 2, 4), weights("c.bias", 2)])
    # A Mul by 0.3 before a Tanh: NetGen compiles a Mul only by 0.5 before a Tanh (its bipolar sigmoid) or inside
    # LayerNorm's expansion. Fixed weights: no draw from the generator, so the fixtures after it stay as they were.
    helper_model("mul-not-half",
                 [oh.make_node("Gemm", ["input", "fc.weight", "fc.bias"], ["h"], name="/fc/Gemm", transB=1),
                  oh.make_node("Constant", [], ["scale"], name="/Constant", value_float=0.3),
                  oh.make_node("Mul", ["h", "scale"], ["scaled"], name="/Mul"),
                  oh.make_node("Tanh", ["scaled"], ["output"], name="/Tanh")],
                 [oh.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
                 [oh.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2])],
                 [oh.make_tensor("fc.weight", TensorProto.FLOAT, [2, 4], [0.1 * i for i in range(8)]),
                  oh.make_tensor("fc.bias", TensorProto.FLOAT, [2], [0.0, 0.5])])
    with open("dense-classifier.onnx", "rb") as f:
        whole = f.read()
    with open("truncated.onnx", "wb") as f:
        f.write(whole[: len(whole) // 2])
    with open("not-onnx.onnx", "w") as f:
        f.write("This is a text file, not an ONNX model.\n")


if __name__ == "__main__":
    # Each fixture by name (python3 make_onnx_fixtures.py residual_cnn), or all of them in this order.
    makers = [dense_classifier, residual, lenet, norms, diagnostics, retrained_classifier, residual_cnn]
    for make in [m for m in makers if m.__name__ in sys.argv[1:]] or makers:
        make()
