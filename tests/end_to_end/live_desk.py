"""A desk whose sources are live: a wire service's feed, two outlets republishing its story, a UN-style PDF
situation report and a field team's DOCX note — all written for these tests, served by a real web server.

The wire story (12 soldiers killed near Tera) is published by three outlets; the PDF tells the same attack
independently (12 killed); the field note, the newest source and the lowest graded, says 15.
"""

from __future__ import annotations

import io
from pathlib import Path

from tests.projects import write
from tests.servers import Route, WebServer

WIRE_TITLE = "Jihadists kill 12 soldiers in attack on Niger army post"
WIRE = [
    "NIAMEY, March 2 (Sahel Wire) - Suspected jihadist fighters killed at least 12 soldiers in an attack on an army "
    "post near Tera in western Niger on Sunday, the defence ministry said in a statement.",
    "The attackers arrived on motorbikes shortly after dawn and set fire to two armoured vehicles before withdrawing "
    "towards the border with Burkina Faso, the ministry said. Eight soldiers were wounded and flown to Niamey for "
    "treatment.",
    "No group claimed responsibility, but fighters linked to the Islamic State Sahel Province have carried out "
    "similar attacks in the Tillaberi region this year.",
    "\"Our forces pursued the assailants and neutralised several of them,\" defence ministry spokesman Colonel Amadou "
    "Issa said.",
    "The army has struggled to contain the insurgency since the military government asked French troops to leave "
    "in 2023. Residents of Tera said the town's market stayed closed on Monday and that dozens of families had left "
    "for Niamey.",
]
MAYOR = ("The mayor of Tera, Moussa Hamani, called on the government to send more troops to protect the town and "
         "the roads leading to it.")
CLINIC_TITLE = "Mobile clinics return to Ouallam"
CLINIC = ("Mobile clinics resumed visits to villages around Ouallam on Monday after a three-week pause, the health "
          "ministry said, and aid workers expect to reach about 2,000 people a month.")
REPORT_PAGES = [
    ("Niger: Tillaberi region", "Flash update No. 3, 4 March 2026",
     "This update covers the Tera and Ouallam departments of the Tillaberi region. Humanitarian partners "
     "continue to deliver food and water to displaced families despite insecurity on the main roads."),
    ("Security incidents", "",
     "On 1 March, armed men attacked an army post near Tera; at least 12 soldiers were killed, according to the "
     "authorities. The attack displaced about 3,000 people, most of them women and children, towards Tera town."),
    ("Response", "",
     "Partners distributed 1,200 shelter kits in Tera. The Tera health centre received 8 wounded soldiers before "
     "they were moved to Niamey. Access to villages west of Tera remains restricted."),
]
FIELD_NOTE = [
    "Field note: Tera, 3 March 2026",
    "Our team spoke with residents and a nurse at the Tera health centre on 3 March.",
    "Local sources told our team that 15 soldiers were killed in the attack on the army post near Tera on 1 March, "
    "more than the defence ministry reported.",
    "\"We treated eight soldiers with gunshot wounds before the army flew them out,\" said Halima Souley, a nurse "
    "at the centre.",
]
GRADES = {"Sahel Wire": "B2", "Niamey Daily": "C3", "Sahel Monitor": "C3", "UN Humanitarian Office": "A2",
          "Tillaberi field team": "C3"}


def serve(web: WebServer) -> None:
    """The wire's feed (the Tera story in full, a short clinic item linking to its page) and the two
    republications of the Tera story."""
    wire_html = "".join(f"<p>{paragraph}</p>" for paragraph in WIRE)
    items = (f"<item><title>{WIRE_TITLE}</title><link>{web.url('/wire/tera')}</link>"
             f"<pubDate>Mon, 02 Mar 2026 07:10:00 GMT</pubDate><description><![CDATA[{wire_html}]]></description>"
             f"</item><item><title>{CLINIC_TITLE}</title><link>{web.url('/wire/ouallam')}</link>"
             f"<pubDate>Mon, 02 Mar 2026 11:00:00 GMT</pubDate><description>Clinics are back.</description></item>")
    web.routes["/wire/rss"] = Route(
        (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Sahel Wire - Top news</title>'
         f"<link>{web.url('/')}</link><description>Wire</description>{items}</channel></rss>").encode(),
        content_type="application/rss+xml", headers={"ETag": '"w1"'})
    web.routes["/wire/ouallam"] = Route(_page(CLINIC_TITLE, "Sahel Wire", "2026-03-02", [CLINIC]))
    web.routes["/niamey-daily/tera"] = Route(_page("Twelve soldiers killed near Tera, ministry says", "Niamey Daily",
                                                   "2026-03-02", [*WIRE, MAYOR]))
    web.routes["/monitor/tera.html"] = Route(_page("Army post attacked in Tillaberi", "Sahel Monitor",
                                                   "2026-03-02", WIRE[:3]))


def _page(title: str, site: str, date: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:title' content='{title}'><meta property='og:site_name' content='{site}'>"
            f"<meta property='article:published_time' content='{date}T08:00:00Z'></head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header><main><article>"
            f"<h1>{title}</h1>{body}</article></main><footer>© {site}. All rights reserved.</footer>"
            f"</body></html>").encode()


def write_files(root: Path) -> None:
    """The PDF situation report and the DOCX field note in `sources/`, each with its sidecar."""
    write(root, "sources/tillaberi-flash-update-3.pdf", _report_pdf())
    write(root, "sources/tillaberi-flash-update-3.pdf.meta.yaml",
          "title: 'Niger: Tillaberi flash update No. 3'\npublished: 2026-03-04\noutlet: UN Humanitarian Office\n")
    write(root, "sources/tera-field-note.docx", _field_note_docx())
    write(root, "sources/tera-field-note.docx.meta.yaml",
          "title: 'Field note: Tera'\npublished: 2026-03-03\noutlet: Tillaberi field team\n")


def _report_pdf() -> bytes:
    from weasyprint import HTML

    pages = "".join(f"<section><h1>{heading}</h1><p class='sub'>{sub}</p><p>{text}</p></section>"
                    for heading, sub, text in REPORT_PAGES)
    css = ("@page { size: A4; margin: 2cm; @bottom-center { content: 'UN Humanitarian Office - page ' "
           "counter(page) } } section { break-after: page } body { font-family: serif }")
    return HTML(string=f"<html><head><style>{css}</style></head><body>{pages}</body></html>").write_pdf()


def _field_note_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(FIELD_NOTE[0], level=1)
    for paragraph in FIELD_NOTE[1:]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
