#!/usr/bin/env python3
"""Score predicted incidents (ACLED-style) against hand-annotated gold.

Usage:
  python benchmarks/score_incidents.py PREDICTED.json [--gold benchmarks/devset_incidents/gold.yaml] [--json]

PREDICTED.json is a JSON list (or an object with an ``incidents`` list) of incidents with the keys
``doc`` (text stem such as ``iq-03``, or a path whose stem is the text stem), ``event_type``,
``sub_event_type``, ``event_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``location``,
``fatalities`` (low figure or null) and ``fatalities_high``. Within each document, predictions are
paired one-to-one with gold incidents whose dates agree (same day, or one date a prefix of the other)
and whose event type or location agrees, greedily by a pairing score. The report gives detection
precision/recall/F1, attribute accuracies on the pairs, and precision/recall per event type.
Standard library and PyYAML only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

DEFAULT_GOLD = Path(__file__).resolve().parent / "devset_incidents" / "gold.yaml"
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
GENERIC_PLACE_WORDS = {"province", "governorate", "state", "region", "district", "area", "town", "city"}
DROPPED_TOKENS = {"the", "al", "el"}

Incident = dict[str, Any]
Pair = tuple[Incident, Incident]


# ---------------------------------------------------------------- loading


def doc_stem(value: Any) -> str:
    """Return the text stem of a ``doc`` value: ``iq-03``, ``iq-03.txt`` and ``/x/iq-03.md`` all give ``iq-03``."""
    return Path(str(value or "")).stem


def load_gold(path: Path) -> tuple[list[str], list[Incident]]:
    """Read the gold: one YAML file (``docs`` + ``incidents``) or a folder of such files.

    Returns the documents covered (texts with no incident included) and the gold incidents.
    """
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    docs: list[str] = []
    incidents: list[Incident] = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        if isinstance(data, list):
            data = {"incidents": data}
        items = list(data.get("incidents") or [])
        docs.extend(doc_stem(d) for d in data.get("docs") or [])
        docs.extend(doc_stem(item.get("doc")) for item in items)
        incidents.extend(items)
    for item in incidents:
        item["doc"] = doc_stem(item.get("doc"))
    return sorted(set(docs)), incidents


def load_predictions(path: Path) -> list[Incident]:
    """Read predicted incidents from JSON: a list, or an object holding an ``incidents`` list."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("incidents", [])
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of incidents")
    return [dict(item, doc=doc_stem(item.get("doc"))) for item in data if isinstance(item, dict)]


# ---------------------------------------------------------------- normalisation


def norm_text(value: Any) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces (for types and names)."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("'s ", " ")
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", text).split())


def norm_location(value: Any) -> str:
    """Normalise a place name: case, accents, hyphens, a leading "the", "al-"/"el-" and generic words set aside."""
    tokens = [t for t in norm_text(str(value or "").replace("-", " ")).split() if t not in DROPPED_TOKENS]
    while len(tokens) > 1 and tokens[-1] in GENERIC_PLACE_WORDS:
        tokens.pop()
    return " ".join(tokens)


def norm_date(value: Any) -> str:
    """Return ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a longer ISO timestamp is cut to its day), or ``""``."""
    text = str(value or "").strip()[:10]
    return text if DATE_RE.match(text) else ""


def as_int(value: Any) -> int | None:
    """A fatality figure as an int, or None when absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def predicted_low(pred: Incident) -> int | None:
    """The predicted low fatality figure (key ``fatalities``, or ``fatalities_low``)."""
    return as_int(pred.get("fatalities", pred.get("fatalities_low")))


# ---------------------------------------------------------------- comparisons


def dates_agree(a: str, b: str) -> bool:
    """Two dates agree when both are given and one is the other or a year/month prefix of it."""
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return long_ == short or long_.startswith(short + "-")


def date_correct(pred: str, gold: str) -> bool:
    """A predicted date is right when it is at least as precise as the gold and agrees with it."""
    return bool(gold) and len(pred) >= len(gold) and pred[: len(gold)] == gold


def gold_places(gold: Incident) -> set[str]:
    """The gold location and its accepted alternatives, normalised."""
    names = [gold.get("location"), *(gold.get("location_alt") or [])]
    return {norm_location(n) for n in names if norm_location(n)}


def location_correct(pred: Incident, gold: Incident) -> bool:
    """The predicted location names the gold place or one of its listed alternatives."""
    place = norm_location(pred.get("location"))
    return bool(place) and place in gold_places(gold)


def same_field(pred: Incident, gold: Incident, key: str) -> bool:
    """Case- and punctuation-insensitive equality of one text field."""
    return bool(norm_text(gold.get(key))) and norm_text(pred.get(key)) == norm_text(gold.get(key))


def fatalities_correct(pred: Incident, gold: Incident) -> bool:
    """The low fatality figure is exactly the gold's; both absent counts as right."""
    return predicted_low(pred) == as_int(gold.get("fatalities_low"))


def pair_score(pred: Incident, gold: Incident) -> float | None:
    """How well a prediction fits a gold incident, or None when they may not be paired."""
    pred_date, gold_date = norm_date(pred.get("event_date")), norm_date(gold.get("event_date"))
    if not dates_agree(pred_date, gold_date):
        return None
    type_ok = same_field(pred, gold, "event_type")
    place_ok = location_correct(pred, gold)
    if not (type_ok or place_ok):
        return None
    return (
        2.0 * type_ok
        + 1.0 * same_field(pred, gold, "sub_event_type")
        + 1.5 * place_ok
        + 0.5 * date_correct(pred_date, gold_date)
        + 0.25 * fatalities_correct(pred, gold)
    )


# ---------------------------------------------------------------- matching


def match_document(preds: Sequence[Incident], golds: Sequence[Incident]) -> list[tuple[int, int]]:
    """Pair predictions with gold incidents of one document, one-to-one, best pairing score first."""
    candidates = []
    for pi, pred in enumerate(preds):
        for gi, gold in enumerate(golds):
            score = pair_score(pred, gold)
            if score is not None:
                candidates.append((-score, pi, gi))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, pi, gi in sorted(candidates):
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((pi, gi))
    return pairs


def group_by_doc(items: Iterable[Incident]) -> dict[str, list[Incident]]:
    """Incidents grouped by their ``doc`` stem, in input order."""
    groups: dict[str, list[Incident]] = {}
    for item in items:
        groups.setdefault(item["doc"], []).append(item)
    return groups


def match_all(docs: Sequence[str], preds: Sequence[Incident], golds: Sequence[Incident]) -> list[Pair]:
    """All (prediction, gold) pairs over the gold's documents."""
    pred_groups, gold_groups = group_by_doc(preds), group_by_doc(golds)
    pairs = []
    for doc in docs:
        doc_preds, doc_golds = pred_groups.get(doc, []), gold_groups.get(doc, [])
        pairs += [(doc_preds[p], doc_golds[g]) for p, g in match_document(doc_preds, doc_golds)]
    return pairs


# ---------------------------------------------------------------- metrics


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1; an empty side scores 1.0 only when the other side is empty too."""
    precision = tp / n_pred if n_pred else float(n_gold == 0)
    recall = tp / n_gold if n_gold else float(n_pred == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "predicted": n_pred, "gold": n_gold}


def accuracy(flags: Sequence[bool]) -> float | None:
    """Share of True flags, or None when there is nothing to judge."""
    return sum(flags) / len(flags) if flags else None


def dates_right(pred: Incident, gold: Incident) -> bool:
    """The pair's predicted date is right (see date_correct)."""
    return date_correct(norm_date(pred.get("event_date")), norm_date(gold.get("event_date")))


def attribute_accuracies(pairs: Sequence[Pair]) -> dict[str, float | None]:
    """Event type, sub-event type, date, location and fatalities accuracy over matched pairs."""
    return {
        "event_type": accuracy([same_field(p, g, "event_type") for p, g in pairs]),
        "sub_event_type": accuracy([same_field(p, g, "sub_event_type") for p, g in pairs]),
        "date": accuracy([dates_right(p, g) for p, g in pairs]),
        "location": accuracy([location_correct(p, g) for p, g in pairs]),
        "fatalities": accuracy([fatalities_correct(p, g) for p, g in pairs]),
    }


def per_type(
    preds: Sequence[Incident], golds: Sequence[Incident], pairs: Sequence[Pair]
) -> dict[str, dict[str, float]]:
    """Precision/recall per gold or predicted event type; a hit needs a pair whose two types agree."""
    def label(item: Incident) -> str:
        return str(item.get("event_type") or "(none)")

    names = {norm_text(label(i)): label(i) for i in [*preds, *golds]}
    result = {}
    for key, name in sorted(names.items(), key=lambda kv: kv[1]):
        tp = sum(1 for p, g in pairs if norm_text(label(p)) == key == norm_text(label(g)))
        n_pred = sum(1 for p in preds if norm_text(label(p)) == key)
        n_gold = sum(1 for g in golds if norm_text(label(g)) == key)
        result[name] = prf(tp, n_pred, n_gold)
    return result


def score(docs: Sequence[str], golds: Sequence[Incident], preds: Sequence[Incident]) -> dict[str, Any]:
    """The full report: detection, attribute accuracies, per-type scores, and counts."""
    doc_set = set(docs)
    scored = [p for p in preds if p["doc"] in doc_set]
    pairs = match_all(docs, scored, golds)
    return {
        "documents": len(docs),
        "ignored_predictions": len(preds) - len(scored),
        "detection": prf(len(pairs), len(scored), len(golds)),
        "accuracy": attribute_accuracies(pairs),
        "per_event_type": per_type(scored, golds, pairs),
    }


# ---------------------------------------------------------------- output


def fmt(value: float | None) -> str:
    """A ratio to three decimals, or a dash when undefined."""
    return "-" if value is None else f"{value:.3f}"


def format_report(report: dict[str, Any]) -> str:
    """A readable plain-text table of the report."""
    det = report["detection"]
    lines = [
        f"documents {report['documents']}, gold {det['gold']}, predicted {det['predicted']}, "
        f"matched {det['tp']}, ignored (documents not in gold) {report['ignored_predictions']}",
        "",
        f"{'incident detection':32} P {fmt(det['precision'])}  R {fmt(det['recall'])}  F1 {fmt(det['f1'])}",
        "",
        "accuracy on matched pairs",
    ]
    lines += [f"  {name:30} {fmt(value)}" for name, value in report["accuracy"].items()]
    lines += ["", f"{'event type':32} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'pred':>5} {'gold':>5}"]
    for name, row in report["per_event_type"].items():
        lines.append(
            f"{name[:32]:32} {fmt(row['precision']):>6} {fmt(row['recall']):>6} {fmt(row['f1']):>6} "
            f"{row['tp']:>4} {row['predicted']:>5} {row['gold']:>5}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("predictions", type=Path, help="JSON list of predicted incidents")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold YAML file or folder")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    docs, golds = load_gold(args.gold)
    try:
        preds = load_predictions(args.predictions)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = score(docs, golds, preds)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
