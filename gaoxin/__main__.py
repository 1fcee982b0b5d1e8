"""``python -m gaoxin``: see gaoxin.cli."""

import sys

from gaoxin.cli import main

if __name__ == "__main__":
    sys.exit(main())
