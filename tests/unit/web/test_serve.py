"""Review finding L5 and the later attack on web/serve.py (idle connections each held a thread forever): its
defaults, without starting it. The site as a process (headers, bad paths, timeouts): tests/integration/security/
test_demo_site.py.
"""

from __future__ import annotations

import sys

from tests.conftest import ROOT

SERVE = ROOT / "web" / "serve.py"


def test_the_default_timeout_and_limit_are_bounded() -> None:
    """Without options the site still closes idle connections (30 s or less) and caps its threads."""
    sys.path.insert(0, str(SERVE.parent))
    try:
        import serve  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SERVE.parent))
    parser_defaults = serve.options([])
    assert 0 < parser_defaults.timeout <= 30
    assert 0 < parser_defaults.max_connections <= 500
