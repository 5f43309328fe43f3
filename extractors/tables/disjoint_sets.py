"""Disjoint sets (union-find) over the items 0..n-1: which items a chain of pairs connects.

Used for the cells of a ruled grid (elementary cells not separated by a rule) and for the rules of a
page (rules that cross, directly or through others).
"""

from __future__ import annotations


class DisjointSets:
    """Union-find with path halving; a set's root is its smallest item."""

    __slots__ = ("parent",)

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        """Root -> items of its set, ascending; sets in the order of their smallest item."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out
