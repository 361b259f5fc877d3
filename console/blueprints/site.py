"""/health (no login) and /static/<name>: the files in console/static/, by name."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file, text

from console.blueprints.shared import not_found, state

STATIC = Path(__file__).resolve().parent.parent / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
#: Longest path looked at; ours are short, and a file name has at most 255 bytes anyway.
MAX_PATH = 1024


def static_files() -> dict[str, Path]:
    """The files /static/ serves: exactly those in console/static/, by name. A name is looked up in this
    dict and never joined to a directory, so no path (``..``, NUL, a name too long) reaches the file system."""
    return {path.name: path for path in STATIC.iterdir() if path.is_file() and path.suffix in STATIC_TYPES}


def static_name(path: str) -> str | None:
    """The file name in a /static/ path, or None when the path cannot name a file: too long, a percent
    escape that is not UTF-8, a NUL or other control character."""
    if len(path) > MAX_PATH:
        return None
    try:
        name = unquote(path.removeprefix("/static/"), errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return None
    return name


async def health(request: Request) -> HTTPResponse:
    return text("ok")


async def static(request: Request, name: str) -> HTTPResponse:
    """Instead of Sanic's app.static, which gave 500 with a traceback for a NUL or a very long name."""
    wanted = static_name(request.path)
    if wanted is None:
        return text("Dit adres klopt niet.", status=400)
    location = state(request).static_files.get(wanted)
    if location is None:
        return not_found(request)
    return await file(location, mime_type=STATIC_TYPES[location.suffix])


def blueprint() -> Blueprint:
    bp = Blueprint("site")
    bp.get("/health")(health)
    bp.route("/static/<name:path>", methods=["GET", "HEAD"])(static)
    return bp
