"""What a brief may load: data: URLs and files inside the allowed folders, whatever the URL's case or form."""

from __future__ import annotations

import base64
from pathlib import Path

import lxml.html
import pytest
from weasyprint.urls import URLFetchingError, fetch

from briefgen.pagefetcher import ProjectFetcher
from tests.projects import build, make_project, run, write
from tests.watch import Listener, file_reads, opened_under

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding files nothing may read: secret.png and secret.txt."""
    folder = tmp_path / "outside"
    write(folder, "secret.png", PNG)
    write(folder, "secret.txt", "SECRET-CONTENT")
    return folder


@pytest.mark.parametrize("form", [
    "FILE://{path}", "File://{path}", "file://localhost{path}", "file:{path}", " file://{path}",
    "fi\tle://{path}", "file://{quoted}",
])
def test_fetcher_refuses_files_outside_the_project_in_any_form(tmp_path: Path, outside: Path, form: str) -> None:
    project = make_project(tmp_path / "project")
    fetcher = ProjectFetcher([project / "static"])
    secret = outside / "secret.png"
    url = form.format(path=secret, quoted=str(secret).replace("/", "%2F").replace("%2F", "/", 1))
    with pytest.raises(URLFetchingError), fetch(fetcher, url):
        pass


def test_fetcher_refuses_a_symlink_that_leads_out_and_a_dotdot_path(tmp_path: Path, outside: Path) -> None:
    project = make_project(tmp_path / "project")
    static = project / "static"
    static.mkdir()
    (static / "link.png").symlink_to(outside / "secret.png")
    fetcher = ProjectFetcher([static])
    for url in ((static / "link.png").as_uri(), static.as_uri() + "/../../outside/secret.png"):
        with pytest.raises(URLFetchingError), fetch(fetcher, url):
            pass
    write(static, "inside.png", PNG)
    with fetch(fetcher, (static / "inside.png").as_uri()) as result:
        assert result.read() == PNG


@pytest.mark.parametrize(("url", "safe"), [
    ("https://www.reuters.com/world/", True), ("mailto:desk@example.org", True), ("#key-actors", True),
    ("http://127.0.0.1:8000/preview", False), ("HTTP://LOCALHOST/", False), ("http://0x7f.1/", False),
    ("http://2130706433/", False), ("http://[::1]/", False), ("http://[::ffff:127.0.0.1]/", False),
    ("http://10.0.0.5/", False), ("http://192.168.1.1/", False), ("http://169.254.169.254/", False),
    ("http://ⓛocalhost/", False), ("http://printer.local/", False), ("http://intranet/", False),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("java\nscript:alert(1)", False),
    ("file:///etc/passwd", False), ("data:text/html,<script>", False), ("relative/page.html", False),
    ("//evil.example/x", False),
])
def test_links_untrusted_text_may_carry(url: str, safe: bool) -> None:
    from briefgen.urlpolicy import is_safe_link

    assert is_safe_link(url) is safe


def test_private_hosts_and_raster_images() -> None:
    from briefgen.urlpolicy import is_private_host, is_raster_data_image

    assert is_private_host("127.1") and is_private_host("0") and is_private_host("fc00::1")
    assert not is_private_host("example.org") and not is_private_host("8.8.8.8")
    assert is_raster_data_image("data:image/png;base64,AAAA") and is_raster_data_image("DATA:IMAGE/JPEG,xx")
    assert not is_raster_data_image("data:image/svg+xml;base64,AAAA")


def test_analyst_markdown_loads_nothing_and_links_nowhere_private(tmp_path: Path, outside: Path) -> None:
    listener = Listener()
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<image href="FILE://{outside / "secret.png"}" width="9" height="9"/>'
           f'<image xlink:href="http://127.0.0.1:{listener.port}/x.png"/></svg>')
    markdown = (f"Upper ![a](FILE://{outside / 'secret.png'}) and "
                f"![b](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}) "
                f"![c](http://127.0.0.1:{listener.port}/c.png) [preview](http://127.0.0.1:{listener.port}/) "
                f"[local](HTTP://LOCALHOST:{listener.port}/) [fine](https://example.org/report)")
    project = make_project(tmp_path / "project", brief_extra="")
    brief = project / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("text: The situation is **tense**.", f"text: '{markdown}'"))
    try:
        with file_reads() as opened:
            result = build(project)
    finally:
        listener.close()
    assert result.exit_code == 0, result.output
    assert not opened_under(opened, outside)
    assert listener.connections == 0
    page = next((project / "output/desk").glob("*/analyst.html")).read_text()
    assert "127.0.0.1" not in page and "localhost" not in page.lower()
    assert 'href="https://example.org/report"' in page


def test_project_css_cannot_close_its_style_element(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    write(project, "static/brief.css", "/* </style><script>alert(1)</script><style> */\n"
                                        ".x { background: url(http://127.0.0.1:9/x.png) }\n")
    result = build(project, "--format", "html")
    assert result.exit_code == 0, result.output
    page = next((project / "output/desk").glob("*/analyst.html")).read_text()
    tree = lxml.html.document_fromstring(page)
    assert not tree.xpath("//script") and len(tree.xpath("//style")) >= 1
    assert "alert(1)" in tree.xpath("//style")[0].text  # still inside the stylesheet, as inert text
    assert "127.0.0.1" not in page
    assert "Content-Security-Policy" in page


@pytest.mark.parametrize("logo", ["{outside}/secret.png", "../outside/secret.png", "static/link.png"])
def test_a_logo_outside_the_project_is_refused(tmp_path: Path, outside: Path, logo: str) -> None:
    project = make_project(tmp_path / "project", audience_extra=f"logo: {logo.format(outside=outside)}\n")
    (project / "static").mkdir()
    (project / "static/link.png").symlink_to(outside / "secret.png")
    result = run("check", "--project", str(project))
    assert result.exit_code == 2
    assert "config/audiences/analyst.yaml: logo:" in result.output and "outside the project" in result.output


def test_an_svg_logo_is_sanitised(tmp_path: Path, outside: Path) -> None:
    svg = (f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "{(outside / "secret.txt").as_uri()}">]>'
           f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" '
           f'height="20" onload="alert(1)"><script>alert(2)</script><rect width="40" height="20" fill="#123456" '
           f'style="fill:url(http://127.0.0.1:9/x)"/><text>&x;</text>'
           f'<image xlink:href="{(outside / "secret.png").as_uri()}"/><use href="#r"/>'
           f'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>')
    project = make_project(tmp_path / "project", audience_extra="logo: static/logo.svg\n")
    write(project, "static/logo.svg", svg)
    with file_reads() as opened:
        result = build(project)
    assert result.exit_code == 0, result.output
    assert not opened_under(opened, outside)
    page = next((project / "output/desk").glob("*/analyst.html")).read_text()
    encoded = page.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    cleaned = base64.b64decode(encoded).decode()
    assert "#123456" in cleaned and 'href="#r"' in cleaned
    for gone in ("script", "onload", "secret", "127.0.0.1", "foreignObject", "SECRET-CONTENT", "style="):
        assert gone not in cleaned


def test_a_template_cannot_include_a_file_through_a_symlink(tmp_path: Path, outside: Path) -> None:
    project = make_project(tmp_path / "project")
    write(project, "templates/brief.html", '{% extends "default:brief.html" %}'
                                           '{% block footer %}{% include "leak.html" %}{% endblock %}')
    (project / "templates/leak.html").symlink_to(outside / "secret.txt")
    with file_reads() as opened:
        result = build(project, "--format", "html")
    assert not opened_under(opened, outside)
    assert result.exit_code == 2
    assert "leak.html" in result.output and "outside" in result.output
    assert "SECRET-CONTENT" not in result.output
    assert not list((project / "output").glob("desk/*/analyst.html"))


def test_templates_run_in_a_sandbox(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project = make_project(tmp_path / "project")
    write(project, "templates/brief.html",
          '{% extends "default:brief.html" %}{% block footer %}'
          f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}{{% endblock %}}")
    result = build(project, "--format", "html")
    assert result.exit_code == 2 and "template error" in result.output
    assert not marker.exists()


def test_gazetteer_templates_and_static_must_be_inside_the_project(tmp_path: Path, outside: Path) -> None:
    project = make_project(tmp_path / "project", settings_extra=f"gazetteer: {outside}/secret.txt\n"
                                                               "templates: ../outside\n")
    result = run("check", "--project", str(project))
    assert result.exit_code == 2
    assert "config/briefgen.yaml: gazetteer:" in result.output and "config/briefgen.yaml: templates:" in result.output
    assert "SECRET-CONTENT" not in result.output


def test_analyst_markdown_files_must_be_inside_the_project(tmp_path: Path, outside: Path) -> None:
    project = make_project(tmp_path / "project")
    brief = project / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("text: The situation is **tense**.",
                                               "file: ../../../outside/secret.txt"))
    with file_reads() as opened:
        result = run("check", "--project", str(project))
    assert result.exit_code == 2 and "sections.0.file" in result.output
    assert not opened_under(opened, outside)
