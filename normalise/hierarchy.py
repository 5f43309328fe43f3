"""The region hierarchy of a publisher profile: a tree of any depth, and row labels resolved in it.

    hierarchy = RegionTree.from_model(model.hierarchy, source)
    hierarchy.match("Huaian")        -> RegionMatch("Huai'an", "city", "Northern Jiangsu")
    hierarchy.children("Jiangsu")    -> the members that add up to it (never an "of which" member)
    hierarchy.parts_of_which("Guangdong") -> its "of which" members (Shenzhen, Guangzhou)

Levels are named by the profile (`levels`, root first) or by a member itself (`level: others`). A row
whose label starts with an "of which" prefix is level `of_which`; a label that names no member is
`unknown`. Nothing here knows a place name: the tree is the profile's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.config import ConfigError
from normalise import profile_model as pm
from normalise.labels import normalise_label

LEVEL_OTHERS = "others"  # reserved: a remainder member ("Others", "Unclassified"), never a place
LEVEL_OF_WHICH = "of_which"  # a row recognised by its "of which" label prefix only
LEVEL_UNKNOWN = "unknown"


@dataclass(frozen=True)
class RegionMatch:
    name: str  # canonical name
    level: str
    parent: str = ""  # canonical name of the member it belongs to ("" for the root and unknown rows)


@dataclass(frozen=True)
class Region:
    """One member as the checks see it."""

    name: str
    aliases: tuple[str, ...]
    level: str
    depth: int
    parent: str
    optional: bool  # no row in a table: contributes nothing
    blank_adds_nothing: bool  # a printed blank cell contributes nothing (else: the rule is undecided)
    part_of: bool  # an "of which" member of its parent: never summed, checked <= its parent
    children: tuple[str, ...]  # additive children, in declared order
    parts_of_which: tuple[str, ...]  # "of which" children, in declared order


def _variants(label: str) -> set[str]:
    key = normalise_label(label)
    return {key, key.replace("'", "")}


class RegionTree:
    def __init__(self, regions: dict[str, Region], root: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]):
        self.regions = regions  # name -> Region, in pre-order (a parent before its children)
        self.root = regions[root]
        self.of_which_prefixes = tuple(normalise_label(p) for p in prefixes)
        self._suffix_re = (
            re.compile(r"\s+(?:" + "|".join(re.escape(normalise_label(s)) for s in suffixes) + r")$")
            if suffixes
            else None
        )
        self._index: dict[str, RegionMatch] = {}

    @classmethod
    def from_model(cls, model: pm.Hierarchy, source: str = "<profile>") -> RegionTree:
        regions: dict[str, Region] = {}

        def visit(member: pm.Member, depth: int, parent: str, where: str) -> None:
            level = member.level or (model.levels[depth] if depth < len(model.levels) else "")
            if not level:
                raise ConfigError(
                    f"{source}: {where}.level: member {member.name!r} is {depth} levels below the root but "
                    f"hierarchy.levels names {len(model.levels)}; give it a level"
                )
            if member.name in regions:
                raise ConfigError(f"{source}: {where}.name: member {member.name!r} is declared twice")
            if member.part_of and depth == 0:
                raise ConfigError(f"{source}: {where}.part_of: the root is part of nothing")
            regions[member.name] = Region(
                member.name,
                member.aliases,
                level,
                depth,
                parent,
                member.optional,
                member.blank_adds_nothing,
                member.part_of,
                tuple(c.name for c in member.children if not c.part_of),
                tuple(c.name for c in member.children if c.part_of),
            )
            for i, child in enumerate(member.children):
                visit(child, depth + 1, member.name, f"{where}.children[{i}]")

        visit(model.root, 0, "", "hierarchy.root")
        tree = cls(regions, model.root.name, model.of_which_prefixes, model.strip_suffixes)
        tree._build_index(source)
        return tree

    def _build_index(self, source: str) -> None:
        for region in self.regions.values():
            # A remainder row ("Others") adds to its parent's sum but is no place inside it: no parent_region.
            match = RegionMatch(region.name, region.level, "" if region.level == LEVEL_OTHERS else region.parent)
            for label in (region.name, *region.aliases):
                for variant in _variants(label):
                    known = self._index.get(variant)
                    if known is not None and known.name != region.name:
                        raise ConfigError(
                            f"{source}: hierarchy: the label {label!r} names two members, {known.name!r} and "
                            f"{region.name!r}"
                        )
                    self._index[variant] = match

    # --- questions -----------------------------------------------------------------------------
    def match(self, label: str) -> RegionMatch:
        """Resolve a row label to a member, or LEVEL_OF_WHICH (label prefix) / LEVEL_UNKNOWN."""
        key = normalise_label(label)
        if any(key.startswith(p) for p in self.of_which_prefixes):
            return RegionMatch(label.strip(), LEVEL_OF_WHICH)
        for variant in (key, key.replace("'", ""), re.sub(r"\s*\(.*?\)\s*", "", key)):
            if variant in self._index:
                return self._index[variant]
        # "Nanjing City", "Guangdong Province": a trailing administrative word the profile declares.
        if self._suffix_re is not None:
            stripped = self._suffix_re.sub("", key)
            if stripped in self._index:
                return self._index[stripped]
        return RegionMatch(label.strip(), LEVEL_UNKNOWN)

    def __contains__(self, name: str) -> bool:
        return name in self.regions

    def region(self, name: str) -> Region:
        return self.regions[name]

    def children(self, name: str) -> list[Region]:
        return [self.regions[c] for c in self.regions[name].children]

    def parts_of_which(self, name: str) -> list[Region]:
        return [self.regions[c] for c in self.regions[name].parts_of_which]

    def post_order(self) -> list[Region]:
        """Every member, children before their parent (siblings in declared order)."""
        out: list[Region] = []

        def visit(name: str) -> None:
            region = self.regions[name]
            for child in (*region.children, *region.parts_of_which):
                visit(child)
            out.append(region)

        visit(self.root.name)
        return out

    def at_level(self, level: str) -> list[Region]:
        return [r for r in self.regions.values() if r.level == level]

    def labels(self) -> list[tuple[str, ...]]:
        """(name, *aliases) of every member, root first: what a sentence may call a region."""
        return [(r.name, *r.aliases) for r in self.regions.values()]
