"""The incidents-by-month section: the incidents table's records (`incident_rows.brief_records`) counted per
month and ACLED event type, every month of the span shown, those without incidents too.

The span ends with the month of the brief's newest source (or the build date's, when that is earlier: a
source dated ahead of the brief) and goes back at most `months` months, never before the window's start.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen.assemble.dates import date_label
from briefgen.assemble.incident_rows import brief_records
from briefgen.assemble.views import IncidentChartSection, IncidentMonth
from briefgen.config import IncidentChartSection as IncidentChartConfig
from briefgen.graphics import incident_chart_svg
from briefgen.graphics.incident_marks import ordered
from briefgen.incidents import IncidentRecord

if TYPE_CHECKING:
    from briefgen.assemble.sections import SectionInput


def incident_chart(title: str, config: IncidentChartConfig, data: SectionInput) -> IncidentChartSection:
    """Incidents (or fatalities, by `config.measure`) per month and type over the brief's last months."""
    newest = max((date for entry in data.citer.sources for date in entry.dates), default=None)
    span = chart_months(data.build_date, newest, data.window_start, config.months)
    records = brief_records(data, config.event_types)
    months = count_months(records, span, config.measure)
    shown = sum(month.incidents for month in months)
    fatalities = sum(month.fatalities for month in months)
    types = ordered({kind for month in months for kind, value in month.by_type.items() if value})
    return IncidentChartSection(
        kind="incident_chart", title=title, anchor="incident-chart", months=months, measure=config.measure,
        event_types=types, incidents=shown, fatalities=fatalities, outside=len(records) - shown,
        summary=summary(months, any(month.tolls_stated for month in months)),
        chart=incident_chart_svg(months, config.measure) if data.graphics else None,
    )


def chart_months(build_date: dt.date, newest: str | None, window_start: dt.date | None, count: int) -> list[str]:
    """The months shown ('YYYY-MM', oldest first): `count` months ending with the month of the newest source
    (`newest`, an ISO date of a year, month or day; the build date's month when it is later or unknown), none
    before the window's start."""
    end = (build_date.year, build_date.month)
    if newest and len(newest) >= len("2025-01"):
        end = min(end, (int(newest[:4]), int(newest[5:7])))
    serial = end[0] * 12 + end[1] - 1
    first = serial - count + 1
    if window_start is not None:
        first = max(first, window_start.year * 12 + window_start.month - 1)
    return [f"{value // 12:04d}-{value % 12 + 1:02d}" for value in range(min(first, serial), serial + 1)]


def count_months(records: list[IncidentRecord], span: list[str], measure: str) -> list[IncidentMonth]:
    """Each month of `span` with its records counted by type: incidents, or each record's lowest reported
    toll when `measure` is 'fatalities' (a type with none is not listed). Records dated outside the span are
    left out."""
    months = {month: IncidentMonth(month=month, label=date_label(month, "month"), by_type={}) for month in span}
    for record in records:
        date = record.dated.event_date
        month = months.get((date or "")[:7])
        if month is None:
            continue
        kind = record.incidents[0].event_type
        low = record.toll("fatalities_low", "fatalities_high")[0]
        month.incidents += 1
        month.fatalities += low or 0
        month.tolls_stated = month.tolls_stated or low is not None
        value = 1 if measure == "incidents" else low or 0
        if value:
            month.by_type[kind] = month.by_type.get(kind, 0) + value
    for month in months.values():
        month.by_type = {kind: month.by_type[kind] for kind in ordered(set(month.by_type))}
    return list(months.values())


def summary(months: list[IncidentMonth], tolls_stated: bool) -> str:
    """One sentence: how many incidents over the span, how many killed, the busiest month (when one month has
    more than any other, and more than one), how many months had none."""
    if not months:
        return ""
    count = sum(month.incidents for month in months)
    span = f"{months[0].label} to {months[-1].label}" if len(months) > 1 else months[0].label
    if not count:
        return f"No incidents were found in the sources from {span}." if len(months) > 1 else (
            f"No incidents were found in the sources for {span}.")
    noun = "incident" if count == 1 else "incidents"
    killed = sum(month.fatalities for month in months)
    toll = f", at least {killed:,} killed" if tolls_stated else ", no toll stated"
    busiest = sorted(months, key=lambda month: -month.incidents)
    quiet = sum(1 for month in months if not month.incidents)
    line = f"{count} {noun} from {span}{toll}"
    if busiest[0].incidents > 1 and (len(busiest) == 1 or busiest[0].incidents > busiest[1].incidents):
        line += f"; the most in {busiest[0].label} ({busiest[0].incidents})"
    if quiet:
        line += f"; {quiet} {'month' if quiet == 1 else 'months'} without any"
    return line + "."
