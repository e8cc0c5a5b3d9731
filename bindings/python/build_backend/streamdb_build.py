"""A self-contained PEP 517/660 build backend for the streamdb package (standard library only).

Why not setuptools: pip builds in an isolated environment and downloads the backend named in
[build-system].requires from the package index. Where no index is reachable (offline CI,
air-gapped machines) that step fails before anything is built. The package is pure Python,
so a wheel is just a zip of src/streamdb plus metadata; this backend writes it with nothing
to download, and `pip install bindings/python` works anywhere pip does.

Metadata comes from pyproject.toml's [project] table (read with tomllib, Python 3.11+, or
tomli when installed).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sysconfig
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "streamdb"
SOURCE = ROOT / "src" / PACKAGE
NATIVE = "libstreamdb.so"

# A fixed timestamp keeps wheels reproducible (zip cannot store dates before 1980).
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _project() -> Dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore
    with open(ROOT / "pyproject.toml", "rb") as handle:
        project: Dict[str, Any] = tomllib.load(handle)["project"]
    return project


def _metadata() -> str:
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
    ]
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    license_text = project.get("license", {}).get("text")
    if license_text:
        lines.append(f"License: {license_text}")
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    readme = project.get("readme")
    body = ""
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        body = "\n" + (ROOT / readme).read_text(encoding="utf-8")
    return "\n".join(lines) + "\n" + body


def _names() -> Tuple[str, str]:
    project = _project()
    return project["name"].replace("-", "_"), project["version"]


def _package_files() -> List[Path]:
    files = [p for p in sorted(SOURCE.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return [p for p in files if p.suffix in (".py", ".typed") or p.name == NATIVE]


def _tag() -> str:
    # A copy of the native library shipped inside the package makes the wheel platform-specific.
    if (SOURCE / NATIVE).exists():
        return "py3-none-" + sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "py3-none-any"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(directory: str, contents: List[Tuple[str, bytes]]) -> str:
    name, version = _names()
    tag = _tag()
    dist_info = f"{name}-{version}.dist-info"
    contents = list(contents) + [
        (f"{dist_info}/METADATA", _metadata().encode("utf-8")),
        (f"{dist_info}/WHEEL", (
            "Wheel-Version: 1.0\nGenerator: streamdb_build\n"
            f"Root-Is-Purelib: {'true' if tag.endswith('-any') else 'false'}\nTag: {tag}\n"
        ).encode("ascii")),
        (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode("ascii")),
    ]
    record = [_record_line(path, data) for path, data in contents] + [f"{dist_info}/RECORD,,"]
    contents.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    wheel_name = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in contents:
            info = zipfile.ZipInfo(path, _EPOCH)
            info.external_attr = (0o755 if path.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_name


# ----- PEP 517 hooks ---------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    files = [(f"{PACKAGE}/{p.relative_to(SOURCE).as_posix()}", p.read_bytes()) for p in _package_files()]
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None,
                   metadata_directory: Optional[str] = None) -> str:
    # A .pth file puts src/ on sys.path, so edits to the sources take effect without reinstalling.
    pth = (str(SOURCE.parent) + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, [(f"__editable__.{PACKAGE}.pth", pth)])


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    name, version = _names()
    base = f"{name}-{version}"
    members = ["pyproject.toml", "README.md"]
    members += [str(p.relative_to(ROOT)) for p in sorted((ROOT / "build_backend").glob("*.py"))]
    members += [str(p.relative_to(ROOT)) for p in _package_files() if p.name != NATIVE]
    members += [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").glob("*.py"))]
    sdist_name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, sdist_name), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        for member in members:
            sdist.add(str(ROOT / member), arcname=f"{base}/{member}", recursive=False)
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode("utf-8")
        info.size = len(data)
        info.mode = 0o644
        sdist.addfile(info, io.BytesIO(data))
    return sdist_name
