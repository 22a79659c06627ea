"""``python -m contracts.generate``: the command line of ``cli``."""

from contracts.generate.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
