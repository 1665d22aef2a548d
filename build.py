"""Dossier's command line: `python build.py [build|serve|evaluate] ...` (see README.md)."""

from __future__ import annotations

import os
import sys

from dossier.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Exit without freeing the heap object by object: for a 10,000-article build that alone took
    # most of a second, and the process ends anyway (every file it wrote is closed, its worker
    # pools and the search indexer are already shut down).
    os._exit(code)
