"""Dossier's command line: `python build.py [build|serve|evaluate] ...` (see README.md)."""

from __future__ import annotations

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
