"""Language data: YAML files, one per language, that the cleaner and the country finder read;
and jusText's stop lists, which both use."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import yaml

# libyaml's parser where PyYAML has it: in pure Python the files took 0.2 s to parse, at the
# start of every build.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict:
    """The mapping a data file holds; {} for a missing file or one that holds no mapping."""
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text("utf-8"), Loader=_LOADER)
    return data if isinstance(data, dict) else {}


@cache
def justext_stoplists() -> dict[str, Path]:
    """jusText's stop lists by name ("German"), read from its package folder: importing jusText
    itself brings in lxml and its HTML parser, a quarter of a second that neither reader needs."""
    spec = importlib.util.find_spec("justext")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        return {}
    return {path.stem: path for path in (Path(folders[0]) / "stoplists").glob("*.txt")}


@cache
def justext_stoplist(name: str) -> frozenset[str]:
    """The words of one of them, lower-cased as `justext.get_stoplist` gives them (empty if none)."""
    path = justext_stoplists().get(name)
    return (
        frozenset(word.decode("utf-8").lower() for word in path.read_bytes().splitlines())
        if path
        else frozenset()
    )
