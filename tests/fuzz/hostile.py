"""Seeded generators of hostile input: sources, front matter, analyst Markdown, CSS, SVG and configuration.

Built with Hypothesis strategies, drawn deterministically (`derandomize=True` in the tests), so every
CI run tries the same inputs and a failure reproduces. Each strategy mixes plausible reporting with
the shapes that broke briefgen before: impossible dates, huge numbers, YAML bombs, long unbroken
strings, markup and template syntax, references to files outside the project and to a listener on
127.0.0.1 (`{port}` and `{secret}` are filled in by the tests).
"""

from __future__ import annotations

from hypothesis import strategies as st

SECRET_FILE = "{secret}"
LISTENER = "http://127.0.0.1:{port}"

_NAMES = st.sampled_from(["Amadou Sanou", "the army", "Islamic State", "ISWAP", "al-Shabaab", "the ministry",
                          "Reuters", "AFP", "the US-led coalition", "Niger", "Washington", "a security source"])
_PLACES = st.sampled_from(["Menaka", "Kidal", "northeast Syria", "central Mali", "Mogadishu", "Lake Chad",
                           "Ain al-Asad Air Base", "Hodeidah", "Maiduguri", "Erbil"])
_DATES = st.sampled_from(["31 February 2026", "February 30, 2025", "0 January 0000", "32 March 2024", "2025-13-45",
                          "last week", "early this morning", "next month", "on Monday", "9999", "the year 0",
                          "1 January 10000", "June 2025", "13/13/2025", "late 2023"])
_NUMBERS = st.sampled_from(["9" * 400, "1e309", "1,000,000,000,000,000,000,000", "5,000 to 7,000", "-12",
                            "0.000000001", "NaN", "inf", "½", "٣٠٠", "forty-two thousand", "10^999", "3,"])
_MARKUP = st.sampled_from([
    "<script>alert(1)</script>", "{{ 7*7 }}", "{% include '/etc/passwd' %}", "<img src=x onerror=alert(1)>",
    "]]></svg><script>", "\u202e\u200b\u200d", "<!--", "</style><script>x</script>", "&#x3C;script&#x3E;",
    f"![x]({LISTENER}/img.png)", f"[link](FILE://{SECRET_FILE})", "javascript:alert(1)", "\x1b[31m", "\r",
    '"unclosed quote', "«»„“", "...", "—", "\u2028",
])
_LONG = st.integers(min_value=200, max_value=60_000).map(lambda n: "x" * n)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A sentence of reporting with hostile pieces mixed in."""
    parts = [draw(_NAMES), draw(st.sampled_from(["said", "told AFP", "warned", "reported", "killed", "attacked"])),
             draw(_NUMBERS), draw(st.sampled_from(["soldiers", "fighters", "civilians", "troops"])), "in",
             draw(_PLACES), "on", draw(_DATES)]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(_MARKUP))
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(_LONG))
    if draw(st.booleans()):
        parts.append(draw(st.text(min_size=0, max_size=40)))
    quote = draw(st.sampled_from(["", '"', "“"]))
    return quote + " ".join(parts) + quote + draw(st.sampled_from([".", "", "?", "!!!", ":"]))


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=60),
    st.sampled_from(["2025-09-31", "2025-13", "0000-01-01", "2025-02-29", "24:00", '"false"', "false", "maybe",
                     "2025-09-29T24:61:99", "~", "!!binary AAAA", "&a x", "*a", "{", "[", "|", ">"]),
)
_BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                  + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)])


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A front-matter block: plausible keys with hostile values, sometimes unknown keys, bombs or broken YAML."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return f"---\n{_BOMB}\n---\n"
    if kind == 1:
        return "---\n" + draw(st.text(max_size=200)) + "\n---\n"
    keys = draw(st.lists(st.sampled_from(["title", "published", "url", "outlet", "releasable", "tags", "author",
                                          "<script>"]), min_size=1, max_size=6, unique=True))
    lines = []
    for key in keys:
        value = draw(_SCALARS)
        rendered = value if isinstance(value, str) else repr(value)
        lines.append(f"{key}: {rendered}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def source_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes) of a hostile source: text, Markdown or HTML, sometimes not text at all."""
    suffix = draw(st.sampled_from([".md", ".txt", ".html", ".md", ".txt"]))
    body = "\n\n".join(draw(st.lists(sentence(), min_size=1, max_size=8)))
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return f"binary{suffix}", b"\x89PNG\r\n\x1a\n\x00\x00" + draw(st.binary(max_size=200))
    if kind == 1:
        return f"latin1{suffix}", body.encode("utf-8", "replace") + b"\xe9\xff"
    if suffix == ".html":
        shell = draw(st.sampled_from([
            "<html><body><article><h1>T</h1><p>{}</p></article></body></html>", "<html><head></head></html>{}",
            "<html><frameset></frameset><body></body><body><p>{}</p></body></html>",
            "<div>" * 3000 + "<p>{}</p>" + "</div>" * 3000, "<svg><body><p>{}</p></body></svg>", "{}",
            "<html><body><p>{}</p><img src='" + LISTENER + "/a.png'><iframe src='file://" + SECRET_FILE
            + "'></iframe></body></html>",
        ]))
        return "page.html", shell.replace("{}", body).encode("utf-8")
    front = draw(front_matter()) if draw(st.booleans()) else ""
    return f"doc{suffix}", (front + body + "\n").encode("utf-8")


@st.composite
def analyst_markdown(draw: st.DrawFn) -> str:
    """Analyst Markdown with links, images and raw HTML aimed at files, the listener and script."""
    pieces = draw(st.lists(st.sampled_from([
        f"[preview]({LISTENER}/)", "[up](HTTP://LOCALHOST:{port}/)", f"![i](FILE://{SECRET_FILE})",
        f"![i](file://localhost{SECRET_FILE})", "![s](data:image/svg+xml;base64,PHN2Zy8+)",
        "[j](javascript:alert(1))", "[j](JAVA\tSCRIPT:alert(1))", "<script>alert(1)</script>",
        "{: onclick=alert(1)}", "<img src=x onerror=alert(1)>", "[ok](https://example.org/)", "**bold**",
        "| a | b |\n|---|---|\n| 1 | 2 |", "[dec](http://2130706433:{port}/)", "[hex](http://0x7f.1:{port}/)",
        "[v6](http://[::1]/)", "{{ 7*7 }}", "{% raw %}", "<style>body{background:url(" + LISTENER + ")}</style>",
    ]), min_size=1, max_size=8))
    return " ".join(pieces) + draw(st.text(max_size=30))


@st.composite
def project_css(draw: st.DrawFn) -> str:
    """CSS a project might ship, with attempts to end its <style> element and load from outside."""
    pieces = draw(st.lists(st.sampled_from([
        "/* </style><script>alert(1)</script><style> */", ".x { background: url(" + LISTENER + "/bg.png) }",
        "@import url(" + LISTENER + "/more.css);", "@import 'file://" + SECRET_FILE + "';",
        ".y { background: url('FILE://" + SECRET_FILE + "') }", ".z::after { content: '</style>' }",
        "@font-face { font-family: X; src: url(" + LISTENER + "/f.woff) }", "<!--", "p { color: #123456 }",
        ".w { background-image: image-set(url(" + LISTENER + "/a.png) 1x) }",
    ]), min_size=1, max_size=6))
    return "\n".join(pieces)


@st.composite
def svg_logo(draw: st.DrawFn) -> str:
    """An SVG logo with script, external references and entity tricks mixed into a drawing."""
    extras = draw(st.lists(st.sampled_from([
        "<script>alert(1)</script>", f'<image href="FILE://{SECRET_FILE}"/>',
        f'<image xlink:href="{LISTENER}/x.png"/>', f'<use href="{LISTENER}/s.svg#a"/>',
        f'<rect style="fill:url({LISTENER}/p)"/>', '<a href="javascript:alert(1)"><text>x</text></a>',
        "<foreignObject><div>x</div></foreignObject>", f'<feImage href="{LISTENER}/f"/>',
        '<set attributeName="href" to="javascript:alert(1)"/>', "<text>&ent;</text>",
    ]), min_size=1, max_size=5))
    doctype = f'<!DOCTYPE svg [<!ENTITY ent SYSTEM "file://{SECRET_FILE}">]>' if draw(st.booleans()) else ""
    return (f'<?xml version="1.0"?>{doctype}<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">'
            f'<rect width="40" height="20" fill="#345678"/>{"".join(extras)}</svg>')


@st.composite
def brief_yaml(draw: st.DrawFn) -> str:
    """A brief's YAML with hostile values in the places users write them."""
    window = draw(st.sampled_from(["start: 2024-13-01", "start: 2025-02-30", "days: 100000000", "days: -1",
                                   "end: 0000-01-01", "start: 2024-06-01", "days: 30", "start: '2024-06-01'"]))
    sources = draw(st.sampled_from(["[sources/*]", "['../*']", "['/etc/*']", "[sources/**/*]", "[]", "sources/*",
                                    "[{}]", "['~/x']"]))
    cron = draw(st.sampled_from(["0 6 * * MON", "0 0 31 2 *", "61 * * * *", "* * * * * *", "0 6 * * 8",
                                 "0 0 30 2 *", "*/0 * * * *", "0 6 29 2 *"]))
    zone = draw(st.sampled_from(["UTC", "A" * 5000, "../../etc/passwd", "Africa/Niamey", "Nowhere/Town"]))
    recipient = draw(st.sampled_from(["desk@example.org", "a@b\nBcc: x@y", "not-an-address", "x@localhost"]))
    extra = draw(st.sampled_from(["", f"\n{_BOMB}\n", "\nunknown_key: 1\n", "\nsections: 7\n", "\n" + "[" * 300]))
    return (f"title: {draw(st.sampled_from(['Desk brief', '', '{{ 7*7 }}', 'x' * 3000]))}\n"
            f"sources: {sources}\nwindow:\n  {window}\n"
            f"sections:\n  - kind: {draw(st.sampled_from(['key_actors', 'sources', 'attackz', 'key_judgments']))}\n"
            f"schedules:\n  - cron: '{cron}'\n    timezone: '{zone}'\n    recipients:\n      analyst: ['{recipient}']\n"
            + extra)
