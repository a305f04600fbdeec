#!/usr/bin/env python
"""Django's manage.py; `kaohe` (kaohe/cli.py) is the same thing installed as a command."""

from kaohe.cli import main

if __name__ == "__main__":
    main()
