"""Finding and loading libstreamdb.so.

Order: the STREAMDB_LIBRARY environment variable (when set it is the only candidate, so a
wrong setting is reported instead of silently loading some other copy), a copy next to this
package, the repository's build output (``artifacts/lib/libstreamdb.so`` in this directory or
any parent), then the system loader.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import List, Tuple

from .errors import LibraryNotFoundError

LIBRARY_FILE = "libstreamdb.so"
ENV_VAR = "STREAMDB_LIBRARY"


def candidates() -> List[Tuple[str, str]]:
    """Every (description, name-or-path) the loader will try, in order."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return [(f"${ENV_VAR}", explicit)]
    package_dir = Path(__file__).resolve().parent
    found: List[Tuple[str, str]] = [("next to the package", str(package_dir / LIBRARY_FILE))]
    for parent in package_dir.parents:
        built = parent / "artifacts" / "lib" / LIBRARY_FILE
        if built.exists():
            found.append(("repository build output", str(built)))
            break
    else:
        found.append(("repository build output", f"artifacts/lib/{LIBRARY_FILE} above {package_dir}"))
    system = ctypes.util.find_library("streamdb")
    if system:
        found.append(("system loader (find_library)", system))
    found.append(("system loader", LIBRARY_FILE))
    return found


def load() -> ctypes.CDLL:
    """Load the first candidate that loads; raise LibraryNotFoundError listing every attempt."""
    failures: List[str] = []
    for description, name in candidates():
        is_path = os.sep in name
        if is_path and not os.path.exists(name):
            failures.append(f"  {description}: {name}: no such file")
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as error:
            failures.append(f"  {description}: {name}: {error}")
    raise LibraryNotFoundError(
        "cannot load libstreamdb.so; tried:\n" + "\n".join(failures)
        + f"\nBuild it with ./build.sh (artifacts/lib/{LIBRARY_FILE}) or set {ENV_VAR} to its path."
    )
