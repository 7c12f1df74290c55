"""Entry point of the frozen app (PyInstaller): the same as ``python -m cadre_desk``."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from cadre_desk.cli import main

    sys.exit(main())
