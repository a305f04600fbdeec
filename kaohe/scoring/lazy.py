"""A sequence whose items are built on first access: explanations cost time, numbers do not.

Building one Explanation takes some 17 µs; a province scores about a million values at once and
reads a handful of explanations. So the numbers are computed vectorised up front and each item
of ``scores`` and ``explanations`` is built only when it is read, then kept.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")


class LazySequence(Sequence[T]):
    """An immutable sequence of ``size`` items; item i is ``build(i)``, built once when read.

    It compares equal to any other sequence (tuple, list) with equal items in the same order,
    so ``batch.scores == (Decimal("8.50"),)`` holds. Slicing gives a list.
    """

    __slots__ = ("_build", "_cache", "_size")

    def __init__(self, size: int, build: Callable[[int], T]) -> None:
        self._size = size
        self._build = build
        self._cache: dict[int, T] = {}

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        i = operator.index(index)
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(f"index {index} out of range for {self._size} items")
        try:
            return self._cache[i]
        except KeyError:
            item = self._cache[i] = self._build(i)
            return item

    def __iter__(self) -> Iterator[T]:
        for i in range(self._size):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(other) == self._size and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, so not hashable like them

    def __repr__(self) -> str:
        # Short sequences show their items (a failing test then says what differs); long ones
        # are not built just to be printed.
        if self._size <= 10:
            return f"LazySequence({list(self)!r})"
        return f"<LazySequence of {self._size} items, {len(self._cache)} built>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling (e.g. a cache) stores the items themselves, not the closure that builds them.
        return (tuple, (list(self),))
