"""Language data: YAML files, one per language, that the cleaner and the country finder read."""

from __future__ import annotations

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
