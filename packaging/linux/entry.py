"""The PyInstaller bundle's entry: the same front door as the `kodaira-desktop` command."""

import sys

from kodaira_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
