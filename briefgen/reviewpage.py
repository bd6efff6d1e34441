"""The review page of `briefgen serve`: a brief's facts with their source sentences, and the analyst's decisions.

`GET /review/` lists the briefs, `GET /review/BRIEF/` shows one brief's facts (filtered by the query's
section, kind and status) beside the preview of the brief for one audience, and `POST
/review/BRIEF/decide` takes one decision through `briefgen.reviewdesk.decide`, rebuilds that brief's
preview and redirects (303) back to the page, its filters kept and the fact in view.

Everything a page shows of a fact is source text, so it is untrusted: the templates escape it all
(autoescape) and pages carry a Content-Security-Policy that runs only the server's own script and
stylesheet. A POST must come from this server's own page: its CSRF token (an HMAC of a secret made
when the server starts) must match, an Origin or Referer must be this server's, and `Sec-Fetch-Site:
cross-site` is refused. Bodies over MAX_BODY are 413; every field is checked and a bad one is 400
with one line. Each request reads the project and its corrections afresh, so decisions taken in two
browsers at once both land (corrections.record appends under a lock) and neither page shows stale state.
"""

from __future__ import annotations

import base64
import collections
import hmac
import re
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import jinja2

from briefgen.approval import approve, drafts
from briefgen.errors import BriefgenError
from briefgen.facts import EVENT_KINDS
from briefgen.project import BUILTIN_TEMPLATES, Project, load_project
from briefgen.review import ACTIONS, ADDABLE, EDITABLE, NAMED_KINDS, ReviewItem, reviewer
from briefgen.review.fields import ACTOR_KINDS, PLACE_KINDS, PRECISIONS, REQUIRED_TO_ADD, flag
from briefgen.reviewdesk import STATUSES, BriefReview, ReviewError, decide, fullest_audience, review_brief

TEMPLATES = BUILTIN_TEMPLATES / "review"
ASSETS = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
MAX_BODY = 64 * 1024  # bytes of a POST body
MAX_FIELDS = 200  # fields of a POST body or a query
MAX_WHY = 2000
MAX_REVIEWER = 120
MAX_VALUE = 2000  # a field's text before its own parser checks it
MAX_SENTENCE = 20_000
MAX_SOURCE = 1000
MAX_NAMES = 50
MAX_FILTER = 300
FACT_ID = re.compile(r"^[a-z]+-[0-9a-f]{10}$")
BRIEF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FILTERS = ("section", "kind", "status", "audience")
NO_SECTION = "(none)"  # the section filter's value for facts no section cites
DONE = {"accept": "Accepted", "reject": "Rejected", "edit": "Edited", "pin": "Pinned", "unpin": "Unpinned",
        "merge": "Merged", "split": "Split", "add": "Added"}
FORM = "application/x-www-form-urlencoded"
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
KIND_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("actor", "kind"): ACTOR_KINDS, ("place", "kind"): PLACE_KINDS, ("event", "kind"): tuple(EVENT_KINDS),
    ("event", "precision"): PRECISIONS, ("incident", "precision"): PRECISIONS,
}


class RequestError(Exception):
    """A request answered with an HTTP error status and one line saying why."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ReviewSite:
    """What the review pages need of the server: the project, how to rebuild a brief's preview, a CSRF secret."""

    root: Path
    rebuild: Callable[[str], bool]  # rebuild one brief's preview; False when it could not be built
    page_of: Callable[[Project, str, str], Path]  # the preview file of a brief for an audience
    report: Callable[[str], None]
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    default_reviewer: str = field(default_factory=reviewer)

    def csrf(self) -> str:
        """The token every form of this server carries; made from the server's secret, unknown to other sites."""
        digest = hmac.new(self.secret, b"briefgen review form", "sha256").digest()
        return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


@dataclass
class Answer:
    """A response: status, body and headers."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    """A POST body's fields, each a list of the values given."""

    values: dict[str, list[str]]

    def one(self, name: str, limit: int, required: bool = True) -> str:
        """A field given at most once, within `limit` characters and without control characters."""
        given = self.values.get(name, [])
        if len(given) > 1:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"the field '{name}' is given {len(given)} times")
        value = given[0] if given else ""
        if required and not value.strip():
            raise RequestError(HTTPStatus.BAD_REQUEST, f"the field '{name}' is missing")
        return _checked(name, value, limit)

    def prefixed(self, prefix: str) -> dict[str, str]:
        """The fields named PREFIX.NAME, by NAME."""
        return {name[len(prefix):]: self.one(name, MAX_VALUE, required=False)
                for name in self.values if name.startswith(prefix)}


def answer_review(handler: Any, site: ReviewSite | None) -> bool:
    """Answer a request under /review/ (True), or leave it to the preview's file server (False)."""
    path = urllib.parse.urlsplit(handler.path).path
    if site is None or not (path == "/review" or path.startswith("/review/")):
        return False
    try:
        answer = _route(handler, site, path)
    except RequestError as error:
        answer = _plain(error.status, error.message)
    except BriefgenError as error:  # the project's configuration cannot be read right now
        answer = _plain(HTTPStatus.INTERNAL_SERVER_ERROR, "; ".join(error.lines)[:1000])
    except Exception as error:  # a fault of briefgen's: one line in the log and to the browser, no traceback
        line = f"the review page failed: {type(error).__name__}: {' '.join(str(error).split())[:300]}"
        site.report(f"error: {line}")
        answer = _plain(HTTPStatus.INTERNAL_SERVER_ERROR, line)
    _send(handler, answer)
    return True


def _route(handler: Any, site: ReviewSite, path: str) -> Answer:
    """Dispatch on the path and method."""
    method = "GET" if handler.command == "HEAD" else handler.command
    segments = [urllib.parse.unquote(part) for part in path.split("/")[2:]]
    if path == "/review" or (len(segments) == 1 and segments[0]):
        return _redirect(path + "/")
    if segments == [""]:
        _method(method, "GET")
        return _html(render("index.html", briefs=_briefs(load_project(site.root))))
    if len(segments) == 2 and segments[0] == "_assets":
        _method(method, "GET")
        return _asset(segments[1])
    if len(segments) == 2 and segments[1] == "":
        _method(method, "GET")
        return _page(site, segments[0], _filters(handler.path), done=_done(handler.path),
                     approved=_approved_message(handler.path))
    if len(segments) == 2 and segments[1] == "decide":
        _method(method, "POST")
        return _decide(handler, site, segments[0])
    if len(segments) == 2 and segments[1] == "approve":
        _method(method, "POST")
        return _approve(handler, site, segments[0])
    raise RequestError(HTTPStatus.NOT_FOUND, "no such page")


def _method(given: str, wanted: str) -> None:
    if given != wanted:
        raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"this page takes {wanted} only")


def _asset(name: str) -> Answer:
    """The review page's own stylesheet or script."""
    if name not in ASSETS:
        raise RequestError(HTTPStatus.NOT_FOUND, "no such file")
    return Answer(HTTPStatus.OK, (TEMPLATES / name).read_bytes(), ASSETS[name], {"Cache-Control": "no-cache"})


# --- the pages ---------------------------------------------------------------------------------------

_ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                  undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def render(template: str, **context: Any) -> str:
    """A review template rendered with every value escaped (the templates' indentation left out)."""
    return _BETWEEN_TAGS.sub(">\n<", _ENVIRONMENT.get_template(template).render(**context))


def _briefs(project: Project) -> list[dict[str, str]]:
    """The project's briefs for the index: name, title and link."""
    return [{"name": name, "title": project.briefs[name].title, "url": f"/review/{urllib.parse.quote(name)}/"}
            for name in sorted(project.briefs)]


def _filters(target: str) -> dict[str, str]:
    """The page's filters from a request's query: section, kind, status, audience ('' for all)."""
    query = urllib.parse.urlsplit(target).query
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "the query has too many fields") from None
    filters = dict.fromkeys(FILTERS, "")
    for name, value in pairs:
        if name in FILTERS:
            filters[name] = _checked(name, value, MAX_FILTER).strip()
    if filters["kind"] and filters["kind"] not in EDITABLE:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"kind: '{filters['kind']}' is not one of {', '.join(EDITABLE)}")
    if filters["status"] and filters["status"] not in STATUSES:
        raise RequestError(HTTPStatus.BAD_REQUEST,
                         f"status: '{filters['status']}' is not one of {', '.join(STATUSES)}")
    return filters


def _brief(project: Project, name: str) -> str:
    """A brief of the project named in a path; 404 otherwise."""
    if not BRIEF_NAME.fullmatch(name) or name not in project.briefs:
        raise RequestError(HTTPStatus.NOT_FOUND, "no such brief: /review/ lists them")
    return name


def _audience(project: Project, brief: str, asked: str) -> str | None:
    """The audience whose preview is shown: the one asked for, else the fullest (every source, section and item)."""
    audiences = project.audiences_for(brief)
    if asked and asked not in audiences:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"audience: '{asked}' is not one of {', '.join(audiences)}")
    return asked or fullest_audience(project, brief)


def _shown(items: list[ReviewItem], filters: dict[str, str]) -> list[ReviewItem]:
    """The items the filters let through, in their order."""
    def kept(item: ReviewItem) -> bool:
        section = filters["section"]
        in_section = not section or (not item.sections if section == NO_SECTION else section in item.sections)
        return (in_section and filters["kind"] in ("", item.kind) and filters["status"] in ("", item.status))
    return [item for item in items if kept(item)]


def _page(site: ReviewSite, name: str, filters: dict[str, str], *, done: tuple[str, str, bool] | None = None,
          error: str | None = None, status: int = HTTPStatus.OK, form: Form | None = None,
          review: BriefReview | None = None, approved: str | None = None) -> Answer:
    """The review page of one brief; `approved` says what an approval just did."""
    project = load_project(site.root) if review is None else review.project
    brief = _brief(project, name)
    audience = _audience(project, brief, filters["audience"])
    review = review or review_brief(project, brief)
    items = _shown(review.items, filters)
    counts = collections.Counter(item.status for item in review.items)
    sections = list(dict.fromkeys(title for item in review.items for title in item.sections))
    if filters["section"] and filters["section"] not in (*sections, NO_SECTION):
        sections.append(filters["section"])
    query = _query(filters)
    context = {
        "brief": brief, "title": project.briefs[brief].title, "items": items, "total": len(review.items),
        "counts": [(status, counts.get(status, 0), _query({**filters, "status": status})) for status in STATUSES],
        "query_all": _query({**filters, "status": ""}) or "?",
        "filters": filters, "sections": sections, "no_section": NO_SECTION, "kinds": list(EDITABLE),
        "statuses": STATUSES, "audience": audience, "audiences": project.audiences_for(brief),
        "preview": _preview_url(site, project, brief, audience), "decide_url": f"decide{query}", "query": query,
        "csrf": site.csrf(), "reviewer": site.default_reviewer, "error": error,
        "message": None if error else _message(review, done),
        "fields": _edit_fields, "others": _others(review), "named": NAMED_KINDS,
        "add": _add_form(review, form), "skipped": review.skipped,
        "drafts": [record for record in drafts(project, brief) if record.state == "draft"],
        "approved": approved,
    }
    return _html(render("page.html", **context), status)


def _query(filters: dict[str, str]) -> str:
    """The filters as a query string ('' when none is set)."""
    given = [(name, filters[name]) for name in FILTERS if filters.get(name)]
    return f"?{urllib.parse.urlencode(given)}" if given else ""


def _preview_url(site: ReviewSite, project: Project, brief: str, audience: str | None) -> str | None:
    """The preview page of a brief for an audience, with its time so a rebuilt page is loaded afresh."""
    if audience is None:
        return None
    page = site.page_of(project, brief, audience)
    if not page.is_file():
        return None
    path = f"/{urllib.parse.quote(brief)}/{urllib.parse.quote(audience)}.html"
    return f"{path}?v={page.stat().st_mtime_ns}"


def _done(target: str) -> tuple[str, str, bool] | None:
    """The decision just taken, as the redirect after it names it (done=, on=, preview=stale); None if none."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query, max_num_fields=MAX_FIELDS))
    action, fact_id = query.get("done", ""), query.get("on", "")
    if action not in DONE or not (fact_id == "" or FACT_ID.fullmatch(fact_id)):
        return None
    return action, fact_id, query.get("preview") == "stale"


def _message(review: BriefReview, done: tuple[str, str, bool] | None) -> str | None:
    """'Rejected quote: …' for the decision just taken; None when the query does not name one."""
    if done is None:
        return None
    action, fact_id, stale = done
    item = next((item for item in review.items if item.id == fact_id), None)
    what = f"{item.kind}: {_short(item.text)}" if item else "the fact"
    note = " The preview could not be rebuilt: the server's log says why." if stale else ""
    return f"{DONE[action]} {what}.{note}"


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _edit_fields(item: ReviewItem | str) -> list[dict[str, Any]]:
    """The editable fields of a fact (or of a kind, empty), each with its value and choices when it has them."""
    kind, values = (item, {}) if isinstance(item, str) else (item.kind, item.fields)
    shown = []
    for name, parser in EDITABLE[kind].items():
        choices = KIND_CHOICES.get((kind, name)) or (("yes", "no") if parser is flag else ())
        required = isinstance(item, str) and name in REQUIRED_TO_ADD[kind]  # only adding asks for fields
        shown.append({"name": name, "value": values.get(name, ""), "choices": choices,
                      "long": name in ("text", "what"), "required": required})
    return shown


def _others(review: BriefReview) -> dict[str, list[tuple[str, str]]]:
    """For merging: the actors and places of the brief (id, name), by kind, rejected ones aside."""
    return {kind: sorted(((item.id, item.fields.get("name") or item.text) for item in review.items
                          if item.kind == kind and item.status != "rejected"), key=lambda pair: pair[1].lower())
            for kind in NAMED_KINDS}


def _add_form(review: BriefReview, form: Form | None) -> dict[str, Any]:
    """The "Add a fact" form: kinds, the brief's sources, and what was typed when a first try failed."""
    typed: dict[str, Any] = {"kind": "quote", "source": "", "sentence": "", "fields": {}}
    if form is not None:
        typed = {"kind": _first(form, "kind") or "quote", "source": _first(form, "source"),
                 "sentence": _first(form, "sentence"),
                 "fields": {name[4:]: values[0] for name, values in form.values.items() if name.startswith("set.")}}
    return {"kinds": ADDABLE, "sources": sorted(document.path for document in review.documents), "typed": typed,
            "open": form is not None, "fields": {kind: _edit_fields(kind) for kind in ADDABLE}}


def _first(form: Form, name: str) -> str:
    return (form.values.get(name) or [""])[0][:MAX_SENTENCE]


# --- a decision ------------------------------------------------------------------------------------


def _decide(handler: Any, site: ReviewSite, name: str) -> Answer:
    """Check a POST is this server's own form, take its decision, rebuild the preview and redirect back."""
    form = _own_form(handler, site)
    filters = _filters(handler.path)
    project = load_project(site.root)
    brief = _brief(project, name)
    review = review_brief(project, brief)
    try:
        action, fact_id, by, why, details = _request(form, review, site)
        decide(review, action, fact_id, by, why, **details)
    except (RequestError, ReviewError) as error:
        line = error.message if isinstance(error, RequestError) else " ".join(error.lines)
        adding = form.values.get("action") == ["add"]
        return _page(site, brief, filters, error=line, status=HTTPStatus.BAD_REQUEST,
                     form=form if adding else None, review=review)
    built = site.rebuild(brief)
    site.report(f"review: {by} {DONE[action].lower()} {fact_id or 'a new ' + details['new']['kind']} "
                f"in {brief}")
    after = review_brief(load_project(site.root), brief)
    target = _target(action, fact_id, details, review, after)
    shown = [item.id for item in _shown(review.items, filters)]
    anchor = _anchor(target, shown, {item.id for item in _shown(after.items, filters)})
    if action == "add" and target and anchor is None:  # a fact added out of the filters' sight: show it
        filters, anchor = {**dict.fromkeys(FILTERS, ""), "audience": filters["audience"]}, target
    done = [("done", action), ("on", target or "")] + ([("preview", "stale")] if not built else [])
    query = _query(filters)
    location = (f"/review/{urllib.parse.quote(brief)}/{query}{'&' if query else '?'}"
                f"{urllib.parse.urlencode(done)}{'#f-' + anchor if anchor else ''}")
    return _redirect(location)


def _own_form(handler: Any, site: ReviewSite) -> Form:
    """The POSTed form, when it comes from this server's own page (same origin, right CSRF token); else 403."""
    _same_origin(handler)
    form = _read_form(handler)
    if not hmac.compare_digest(form.one("csrf", 200, required=False).encode(), site.csrf().encode()):
        raise RequestError(HTTPStatus.FORBIDDEN, "the form's CSRF token is missing or wrong: reload the review page")
    return form


def _approve(handler: Any, site: ReviewSite, name: str) -> Answer:
    """Approve one audience's draft of an edition (this server's own form), deliver it, and redirect back."""
    form = _own_form(handler, site)
    filters, project = _filters(handler.path), load_project(site.root)
    brief = _brief(project, name)
    edition_text, audience = form.one("edition", 10), form.one("audience", 100)
    if not edition_text.isdigit() or audience not in project.audiences_for(brief):
        raise RequestError(HTTPStatus.BAD_REQUEST, "edition and audience: name a draft the page lists")
    by = " ".join(form.one("reviewer", MAX_REVIEWER, required=False).split()) or site.default_reviewer
    note = " ".join(form.one("note", MAX_WHY, required=False).split()) or None
    try:
        result = approve(project, brief, by, audiences=[audience], edition=int(edition_text), note=note)
    except BriefgenError as error:
        return _page(site, brief, filters, error=" ".join(error.lines), status=HTTPStatus.BAD_REQUEST)
    if result.already and not result.approved:
        earlier = result.already[0]
        return _page(site, brief, filters, status=HTTPStatus.CONFLICT,
                     error=f"edition {earlier.edition} for {audience} was already approved by {earlier.approved_by} "
                           f"at {earlier.approved_at}; nothing was sent again")
    failed = sum(item.status != "sent" for item in result.deliveries)
    site.report(f"review: {by} approved edition {edition_text} of {brief} for {audience}; "
                f"{len(result.deliveries) - failed} delivered, {failed} failed")
    done = urllib.parse.urlencode({"approved": f"{edition_text}:{audience}:{len(result.deliveries)}:{failed}"})
    query = _query(filters)
    return _redirect(f"/review/{urllib.parse.quote(brief)}/{query}{'&' if query else '?'}{done}")


def _approved_message(target: str) -> str | None:
    """'Approved edition 3 for executive: 2 deliveries made.' after an approval's redirect."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query, max_num_fields=MAX_FIELDS))
    found = re.fullmatch(r"(\d{1,9}):([A-Za-z0-9_.-]{1,100}):(\d{1,4}):(\d{1,4})", query.get("approved", ""))
    if not found:
        return None
    edition, audience, made, failed = found.groups()
    outcome = (f"{made} deliveries made" if made != "0" else "nothing to deliver (no recipients or drop folder)")
    trouble = f"; {failed} failed, 'briefgen deliver' retries them" if failed != "0" else ""
    return f"Approved edition {edition} for {audience}: {outcome}{trouble}."


def _request(form: Form, review: BriefReview, site: ReviewSite) -> tuple[str, str | None, str, str | None,
                                                                          dict[str, Any]]:
    """The decision a form asks for: action, fact, reviewer, why and the action's details, each checked."""
    action = form.one("action", 20)
    if action not in ACTIONS:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"action: '{action}' is not one of {', '.join(ACTIONS)}")
    by = " ".join(form.one("reviewer", MAX_REVIEWER, required=False).split()) or site.default_reviewer
    why = " ".join(form.one("why", MAX_WHY, required=False).split()) or None
    if action == "add":
        return action, None, by, why, {"new": _new(form)}
    fact_id = _fact_id(form.one("fact", 40), "fact")
    item = review.item(fact_id)
    details: dict[str, Any] = {}
    if action == "edit":
        details["set"] = _changed(item, form.prefixed("set."))
    elif action == "merge":
        into = _fact_id(form.one("into", 40), "into")
        if into == fact_id:
            raise RequestError(HTTPStatus.BAD_REQUEST, "into: a fact is not merged into itself; choose another")
        details["into"] = into
    elif action == "split":
        details["names"] = _names(form.one("names", MAX_VALUE * 4))
    return action, fact_id, by, why, details


def _fact_id(value: str, name: str) -> str:
    value = value.strip()
    if not FACT_ID.fullmatch(value):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{name}: '{_short(value, 40)}' is not a fact id such as "
                         "quote-0123456789")
    return value


def _changed(item: ReviewItem, given: dict[str, str]) -> dict[str, str]:
    """The edited fields whose text differs from the fact's; 400 for a field the kind lacks or no change."""
    allowed = EDITABLE[item.kind]
    unknown = [name for name in given if name not in allowed]
    if unknown:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"a {item.kind} has no field '{_short(unknown[0], 40)}'; "
                         f"its fields: {', '.join(allowed)}")
    changed = {name: value for name, value in given.items()
               if " ".join(value.split()) != " ".join(item.fields.get(name, "").split())}
    if not changed:
        raise RequestError(HTTPStatus.BAD_REQUEST, "nothing to save: no field was changed")
    return changed


def _names(text: str) -> list[str]:
    names = list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines() if line.strip()))
    if not names:
        raise RequestError(HTTPStatus.BAD_REQUEST, "names: give the forms to split off, one per line")
    if len(names) > MAX_NAMES or any(len(name) > 300 for name in names):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"names: at most {MAX_NAMES} forms of at most 300 characters")
    return names


def _new(form: Form) -> dict[str, Any]:
    """The fact to add: kind, source, sentence and its fields (empty ones left out)."""
    kind = form.one("kind", 20)
    if kind not in ADDABLE:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"kind: facts added by hand are one of {', '.join(ADDABLE)}")
    fields = {name: value for name, value in form.prefixed("set.").items() if value.strip()}
    unknown = [name for name in fields if name not in EDITABLE[kind]]
    if unknown:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"a {kind} has no field '{_short(unknown[0], 40)}'; "
                         f"its fields: {', '.join(EDITABLE[kind])}")
    return {"kind": kind, "source": form.one("source", MAX_SOURCE), "sentence": form.one("sentence", MAX_SENTENCE),
            "fields": fields}


def _target(action: str, fact_id: str | None, details: dict[str, Any], before: BriefReview,
            after: BriefReview) -> str | None:
    """The fact to show after a decision: the fact itself, the one it merged into, or the one just added."""
    if action == "merge":
        return str(details["into"])
    if action != "add":
        return fact_id
    known = {item.id for item in before.items if item.status == "added"}
    added = [item.id for item in after.items if item.status == "added" and item.id not in known]
    return added[-1] if added else None


def _anchor(target: str | None, shown: list[str], still: set[str]) -> str | None:
    """Where the page opens after a decision: the fact if the filters still show it, else the next one shown."""
    if target is None or target in still:
        return target
    if target not in shown:
        return None
    at = shown.index(target)
    following = [fact for fact in shown[at + 1:] + shown[:at][::-1] if fact in still]
    return following[0] if following else None


# --- requests and responses ---------------------------------------------------------------------------


def _same_origin(handler: Any) -> None:
    """403 unless the request comes from this server's own pages (Sec-Fetch-Site, Origin, Referer)."""
    fetched = (handler.headers.get("Sec-Fetch-Site") or "").strip().lower()
    if fetched and fetched not in ("same-origin", "none"):
        raise RequestError(HTTPStatus.FORBIDDEN, f"a {fetched} request may not take decisions")
    own = f"http://{(handler.headers.get('Host') or '').strip().lower()}"
    origin = handler.headers.get("Origin")
    if origin is not None:
        if origin.strip().lower().rstrip("/") != own:
            raise RequestError(HTTPStatus.FORBIDDEN, "the form was sent from another site (Origin)")
        return
    referer = handler.headers.get("Referer")
    if referer is not None:
        parts = urllib.parse.urlsplit(referer.strip())
        if f"{parts.scheme}://{parts.netloc}".lower() != own:
            raise RequestError(HTTPStatus.FORBIDDEN, "the form was sent from another site (Referer)")


def _read_form(handler: Any) -> Form:
    """The POST body as form fields: a length within MAX_BODY, urlencoded UTF-8."""
    length = handler.headers.get("Content-Length")
    if length is None:
        raise RequestError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
    if not length.strip().isdigit():
        raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
    if int(length) > MAX_BODY:
        raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a form may hold at most {MAX_BODY // 1024} KiB")
    if handler.headers.get_content_type() != FORM:
        raise RequestError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"a form is sent as {FORM}")
    body = handler.rfile.read(int(length))
    try:
        pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS,
                                       errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise RequestError(HTTPStatus.BAD_REQUEST, "the form is not UTF-8 text of at most "
                         f"{MAX_FIELDS} fields") from None
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name[:100], []).append(value)
    return Form(values)


def _checked(name: str, value: str, limit: int) -> str:
    """A field's text: at most `limit` characters, no control characters but tabs and line breaks."""
    if len(value) > limit:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{_short(name, 40)}: at most {limit} characters")
    if CONTROL.search(value):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{_short(name, 40)}: control characters are not allowed")
    return value


def _html(page: str, status: int = HTTPStatus.OK) -> Answer:
    return Answer(status, page.encode("utf-8"))


def _plain(status: int, line: str) -> Answer:
    return Answer(status, (" ".join(line.split()) + "\n").encode("utf-8"), "text/plain; charset=utf-8")


def _redirect(location: str) -> Answer:
    return Answer(HTTPStatus.SEE_OTHER, b"", "text/plain; charset=utf-8", {"Location": location})


def _send(handler: Any, answer: Answer) -> None:
    """Write an answer with the review pages' security headers; HEAD gets the headers only."""
    if answer.status >= 400:
        handler.close_connection = True  # the body of a refused POST may be left unread
    handler.send_response(answer.status)
    headers = {"Content-Type": answer.content_type, "Content-Length": str(len(answer.body)),
               "Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
               "Referrer-Policy": "same-origin", "Cache-Control": "no-store", **answer.headers}
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(answer.body)
