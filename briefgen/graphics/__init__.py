"""Inline SVG graphics for briefs: a timeline, a figures bar chart, an incidents-by-month chart and an offline
map of any region.

Each function returns `markupsafe.Markup` holding one self-contained `<svg>` element (no external
references, system fonts only, `role="img"` with `<title>` and `<desc>`), sized by its viewBox and
scaled to the container width, so it renders the same in the HTML output and in WeasyPrint's PDF.
All text that comes from data is XML-escaped.
"""

from briefgen.graphics.figures import figures_chart_svg
from briefgen.graphics.geomap import IncidentMark, MapPoint, map_svg
from briefgen.graphics.incident_chart import incident_chart_svg
from briefgen.graphics.timeline import timeline_svg

__all__ = ["IncidentMark", "MapPoint", "figures_chart_svg", "incident_chart_svg", "map_svg", "timeline_svg"]
