"""Shared fixtures: paths, the seeds' gold data, and one build of the real content/."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dossier.pipeline import BuildOptions, BuildReport, build

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} (the shared data folder) is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seeds_gold(shared_dir: Path) -> dict[str, dict]:
    gold = yaml.safe_load((shared_dir / "seeds_gold.yaml").read_text("utf-8"))
    return {entry["file"]: entry for entry in gold["files"]}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The real content/ built once, search index included, into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "dist"
    options = BuildOptions(
        content=PROJECT / "content",
        out=out,
        templates=PROJECT / "site_templates",
        cache_dir=None,
    )
    return out, build(options)
