"""Moving columns between NumPy, Python and pyarrow through their buffers.

pyarrow imports pandas, when it is installed, the first time it converts Python or NumPy objects
(``pa.array``, ``pa.scalar``, ``to_numpy``, a ``str`` passed to a compute function): ~0.3 s, more
than reading a million rows. Arrays built from buffers, and read back as buffers, never ask; the
compute functions are called by name with arrays only.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

try:  # the kernels themselves: pyarrow.compute adds ~25 ms of generated wrappers around them
    from pyarrow._compute import CastOptions, SetLookupOptions, TrimOptions, call_function
except ImportError:  # a pyarrow that moved them keeps the public names
    from pyarrow.compute import CastOptions, SetLookupOptions, TrimOptions, call_function


def call(name: str, *args, options=None):
    """The pyarrow compute function ``name``, e.g. ``call("less", a, b)`` for ``pc.less(a, b)``."""
    return call_function(name, list(args), options)


def cast(values: pa.Array, to: pa.DataType) -> pa.Array:
    return call("cast", values, options=CastOptions(to))


def trim(values: pa.Array, characters: str) -> pa.Array:
    return call("utf8_trim", values, options=TrimOptions(characters))


def index_in(values: pa.Array, among: pa.Array) -> pa.Array:
    return call("index_in", values, options=SetLookupOptions(among))


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
    return from_lengths(lengths, b"".join(encoded))


def repeated(text: str, count: int) -> pa.Array:
    """``text`` ``count`` times (for the separators and constant columns of compute functions)."""
    data = text.encode("utf-8")
    return from_lengths(np.full(count, len(data), dtype=np.int64), data * count)


def from_lengths(lengths: np.ndarray, data: bytes) -> pa.Array:
    """Strings laid end to end in ``data``, ``lengths[k]`` bytes each."""
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
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )
