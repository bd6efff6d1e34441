"""Preview server: serves the briefs on 127.0.0.1 and rebuilds them when a template changes."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

from briefgen.serve import serve
from tests.servers import free_port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_shows_the_briefs_and_rebuilds_on_a_template_change(example_project: Path) -> None:
    port, stop, lines = free_port(), threading.Event(), []
    thread = threading.Thread(target=serve, args=(example_project, port, stop, lines.append), daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: any(line.startswith("serving") for line in lines))
        base = f"http://127.0.0.1:{port}/"
        assert "iraq-security/analyst.html" in fetch(base)
        assert "Iraq Security Situation Brief" in fetch(base + "iraq-security/analyst.html")
        assert not (example_project / "output/iraq-security").exists()  # a preview is not an edition

        (example_project / "templates/brief.html").write_text(
            '{% extends "default:brief.html" %}{% block footer %}PREVIEW FOOTER{% endblock %}')
        assert wait_for(lambda: "PREVIEW FOOTER" in fetch(base + "iraq-security/analyst.html"))

        (example_project / "config/audiences/analyst.yaml").write_text("label: [broken\n")
        assert wait_for(lambda: any("config/audiences/analyst.yaml:" in line for line in lines))
        assert "PREVIEW FOOTER" in fetch(base + "iraq-security/analyst.html")  # the last good page stays
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
