"""The four services' fakes in a process of their own, for the dispatcher benchmark: like the
real services, their work then does not share the dispatcher's CPU time and interpreter lock.

Prints one JSON line (endpoints, credentials), then answers commands on stdin, one a line:
``line-broadcasts`` (how many LINE broadcasts arrived) and ``quit``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes import FakeServices


def main() -> int:
    with FakeServices() as services:
        services.line.monthly_limit = None  # limits lifted
        hello = {"endpoints": asdict(services.endpoints), "credentials": services.credentials}
        print(json.dumps(hello), flush=True)
        for command in sys.stdin:
            if command.strip() == "line-broadcasts":
                print(len(services.line.broadcasts), flush=True)
            elif command.strip() == "quit":
                break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
