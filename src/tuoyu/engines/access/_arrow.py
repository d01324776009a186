"""Moving columns between NumPy, Python and pyarrow through their buffers.

pyarrow imports pandas, when it is installed, the first time it converts Python or NumPy objects
(``pa.array``, ``pa.scalar``, ``to_numpy``, a ``str`` passed to a compute function): ~0.3 s, more
than reading a million rows. Arrays built from buffers, and read back as buffers, never ask.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def floats(values: np.ndarray) -> pa.Array:
    values = np.ascontiguousarray(values, dtype=np.float64)
    return pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(values)])


def bools(values: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, _bits(values)])


def floats_where(values: np.ndarray, present: np.ndarray) -> pa.Array:
    """``values`` with nulls where ``present`` is False."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    return pa.Array.from_buffers(pa.float64(), len(values), [_bits(present), pa.py_buffer(values)])


def _bits(values: np.ndarray) -> pa.Buffer:
    return pa.py_buffer(np.packbits(np.asarray(values, dtype=bool), bitorder="little"))


def strings(values: list[str]) -> pa.Array:
    encoded = [value.encode("utf-8") for value in values]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return _string_array(lengths, b"".join(encoded))


def repeated(text: str, count: int) -> pa.Array:
    """``text`` ``count`` times (for the separators and constant columns of compute functions)."""
    data = text.encode("utf-8")
    return _string_array(np.full(count, len(data), dtype=np.int64), data * count)


def _string_array(lengths: np.ndarray, data: bytes) -> pa.Array:
    if len(data) >= 2**31:
        raise ValueError("more than 2 GB of text in one array")
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(lengths), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def numbers(array: pa.Array | pa.ChunkedArray, dtype=np.float64) -> np.ndarray:
    """The values of a numeric array without nulls, as NumPy (no copy for one chunk)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.null_count:
        raise ValueError("the array has nulls")
    dtype = np.dtype(dtype)
    if len(array) == 0:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
