"""Place the Datastar v1 browser client under saas/static/vendor/ (DESIGN.md §4).

npm only carries the old protocol, so the v1 build is taken from a PyPI package that ships it:
the starhtml wheel carries Datastar v1.0.1 as ``starhtml/static/js/datastar-core.js``. The file is
checked against a pinned sha256 and never committed. Idempotent: does nothing when the file is
already there with the right hash.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "starhtml==0.7.0"
MEMBER = "starhtml/static/js/datastar-core.js"
SHA256 = "31c8c9efb895beadeba5f73407c3ca60201dee321c5dea56c182817b475bde9f"
TARGET = Path(__file__).resolve().parent.parent / "saas" / "static" / "vendor" / "datastar.js"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    if TARGET.exists() and sha256(TARGET.read_bytes()) == SHA256:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603  (fixed argument list: pip download of a pinned wheel)
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                tmp,
                PACKAGE,
            ],
            check=True,
        )
        wheels = list(Path(tmp).glob("starhtml-*.whl"))
        if not wheels:
            print(f"fetch_datastar: pip did not download {PACKAGE}", file=sys.stderr)
            return 1
        data = zipfile.ZipFile(wheels[0]).read(MEMBER)
    digest = sha256(data)
    if digest != SHA256:
        print(
            f"fetch_datastar: {MEMBER} has sha256 {digest}, expected {SHA256}; refusing it.",
            file=sys.stderr,
        )
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    print(f"fetch_datastar: Datastar v1 client placed at {TARGET.relative_to(Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
