"""Stories: the copies of one report among a brief's sources (wire copy republished, trimmed, lightly rewritten).

Each document's text is normalised (case, quotes, dashes and punctuation folded away) and cut into
sentences; a document's shingles are the runs of `SHINGLE_WORDS` consecutive words inside one sentence,
so a copy whose sentences were reordered keeps nearly all of them. MinHash signatures (`PERMUTATIONS`
permutations, fixed seed) in an LSH index propose candidate pairs cheaply; a candidate whose estimated
similarity comes near the threshold is then checked with the exact Jaccard similarity of the two shingle
sets (kept as 64-bit digests of their shingles: `hashed`), so the estimate's error never decides whether a
close pair is a copy.

Documents are taken earliest published first (the longest first on the same day): each joins the first
story whose original (its first document) is at least `threshold` similar to it (`SHORT_SIMILARITY` when
either text is short), else starts a story of its own. Comparing with the original rather than any member
stops chaining: a rewrite of a rewrite that has drifted away from the original report is a story of its own.
A copy tells the same news as its original: when both leads (their first `LEAD_WORDS` words) name a day of the
month and they name none in common, the two are other reports however alike their other paragraphs (`same_lead_day`).

A grouping made before (`Grouping`, kept between builds by `briefgen.storymemory`) lets the next one compare
only what could have changed, with the same result (`group_stories`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from briefgen.facts import Document

if TYPE_CHECKING:
    from datasketch import MinHash

# Five words make a shingle specific to one report: same-template reports ("the ministry said on
# Tuesday that ...") share few five-word runs, while a copy keeps every run of its unchanged sentences.
# On benchmarks/stories/ sizes 2 to 6 leave the same gap between copies and other reports (about 0.32)
# but five puts the other reports lowest (0.13 at most); eight starts to lose light rewrites.
SHINGLE_WORDS = 5
# 128 permutations: the estimate's standard error is about 0.09, enough to propose candidates with the
# index set below the threshold (exact Jaccard decides); grouping 1,000 documents takes about a second.
PERMUTATIONS = 128
SEED = 1
# The index proposes pairs whose estimated similarity may be this far under the threshold.
_CANDIDATE_MARGIN = 0.2
# Of those, the pairs whose estimate is this far under the threshold are compared exactly: three standard
# errors of the estimate near the threshold (about 0.04 at 0.3), so a copy (0.45 or more) is never passed
# over, while a corpus whose reports share stock paragraphs (every report some 0.1 like every other, which
# the index proposes by the hundred) is not compared pair by pair.
_ESTIMATE_MARGIN = 0.12
# Chosen on benchmarks/story_dedup.py: copies are 0.45 or more similar to their original (light rewrites
# lowest), other reports of the same event or template 0.13 at most; 0.3 sits in the middle of that gap.
DEFAULT_SIMILARITY = 0.3
# A text of a sentence or two is mostly its lead, and two independent reports of one event often open
# alike ("Gunmen attacked a border post near X on 1 March, killing ..."): such a pair scores about 0.4.
# When either text has fewer shingles than this (some 45 words), it must be at least SHORT_SIMILARITY
# like the original to be a copy; a short copy reprinted as it was still scores near 1.
SHORT_SHINGLES = 40
SHORT_SIMILARITY = 0.6
# A grouping made with an earlier one looks up the documents it cannot trust from it by comparing their MinHash
# values with every original's at once, instead of filling an LSH index with every original for them, when they
# are at most this share of all documents (a +10 build: 10 lookups, where the index took thousands of inserts).
_LOOKED_UP_SHARE = 0.1
# An agency's reports of different days reuse whole paragraphs (background, context, the same official's lines):
# in a generated year of reporting (benchmarks/corpus.py) 266 of 3,000 documents were 0.3 or more like the
# original of another report. The news is in the lead: every one of those leads named another day than its
# original's, while each of the 742 true copies (their ledes rewritten) named the same day, within the first 30
# words as within 100.
LEAD_WORDS = 60
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MONTH = "|".join(sorted({*_MONTHS, *(name[:3] for name in _MONTHS), "Sept"}, key=len, reverse=True))
_MONTH_NUMBERS = {name[:3]: number for number, name in enumerate(_MONTHS, start=1)}  # by the first three letters
_DAY_OF_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?"
                           rf"|\b({_MONTH})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
_ONE_BY_ONE = 4  # fewer originals than this are compared with a document one by one (`_first_alike`)

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                         "\u2015": "-", "\u2212": "-"})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass
class Story:
    """One report and its copies: `documents` earliest published first, the first being the original."""

    id: str
    documents: list[Document]

    @property
    def original(self) -> Document:
        """The earliest published document of the story (the longest of the earliest)."""
        return self.documents[0]

    @property
    def outlets(self) -> list[str]:
        """The outlets that published the story, in the order of its documents, each once."""
        return list(dict.fromkeys(doc.outlet for doc in self.documents if doc.outlet))


class Signatures:
    """Each text's MinHash signature, made once however many groupings use it (a build groups a brief's
    documents once for the audiences that see all of them, once for those that see the releasable ones), kept by
    a digest of the text, so signatures remembered from an earlier build (`known`) serve this one too.
    Shingle sets are not kept: at tens of kilobytes a document they would hold more memory than they save."""

    def __init__(self, known: dict[str, Any] | None = None) -> None:
        self._known: dict[str, Any] = dict(known or {})  # each text digest's MinHash values
        self.made: dict[str, Any] = {}  # the values made here, not known before: what is worth remembering
        self._digests: dict[str, tuple[str, str]] = {}  # each document id's text and its digest

    def digest(self, doc: Document) -> str:
        """The digest of the document's text (made again when the text is not the one it was made of)."""
        made = self._digests.get(doc.id)
        if made is None or made[0] != doc.text:
            made = self._digests[doc.id] = (doc.text, text_digest(doc.text))
        return made[1]

    def knows(self, doc: Document) -> bool:
        """Whether the signature of the document's text is made or known already."""
        return self.digest(doc) in self._known

    def of(self, doc: Document, shingles: set[str] | None = None) -> MinHash:
        """The signature of the document's shingles (made from its text when not given)."""
        digest = self.digest(doc)
        values = self._known.get(digest)
        if values is None:
            signature = minhash(shingles if shingles is not None else shingle_set(doc.text))
            self._known[digest] = self.made[digest] = signature.hashvalues
            return signature
        return _signature_of(values)


@dataclass(frozen=True)
class Grouping:
    """Where a grouping put each of its documents, for `group_stories` to group alike documents again with few
    comparisons: the threshold, and for each document id its key (`grouping_key`: what its place in the order
    and its similarity to others depend on) and the id of its story's original."""

    threshold: float
    homes: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, stories: list[Story], threshold: float, signatures: Signatures) -> Grouping:
        """The grouping these stories are (grouped with `threshold`)."""
        return cls(threshold, {doc.id: (grouping_key(doc, signatures), story.original.id)
                               for story in stories for doc in story.documents})

    def trusted(self, documents: list[Document], threshold: float, signatures: Signatures) -> dict[str, str]:
        """The home (an original's id) of each of these documents that this grouping holds under the same key,
        with an original whose key is the same too; nothing when the threshold differs."""
        if threshold != self.threshold:
            return {}
        same = {doc.id for doc in documents if self.homes.get(doc.id, ("",))[0] == grouping_key(doc, signatures)}
        return {doc_id: original for doc_id, (_key, original) in self.homes.items()
                if doc_id in same and original in same}

    def texts(self) -> set[str]:
        """The digests of the texts grouped (`text_digest`)."""
        return {key.rpartition(" ")[2] for key, _original in self.homes.values()}


def group_stories(documents: Iterable[Document], threshold: float = DEFAULT_SIMILARITY,
                  signatures: Signatures | None = None, earlier: Grouping | None = None) -> list[Story]:
    """The documents grouped into stories (module docstring), in the order of their originals; `signatures`
    keeps the documents' signatures for the next grouping.

    `earlier` is another grouping (of fewer documents, more or others, from this build or an earlier one); the
    result is the same, found with far fewer comparisons. Whether an original is a candidate for a document, and
    alike to it, depends on the two alone, and documents whose keys are unchanged keep their order; so a document
    grouped there under its present key, with an original whose key is unchanged too, keeps that home (or stays an
    original) unless an original that was not one there (new, changed, or because its own original is left out
    here) comes before that home and is alike to it. Any other document is compared with every candidate.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"similarity threshold {threshold} is not between 0 (exclusive) and 1")
    from datasketch import MinHashLSH  # imported when used: datasketch takes about a second to import

    signatures = signatures or Signatures()
    ordered = sorted(documents, key=_original_first)
    before = earlier.trusted(ordered, threshold, signatures) if earlier else {}
    bands = _bands(max(0.05, threshold - _CANDIDATE_MARGIN))
    looked_up = sum(doc.id not in before for doc in ordered)
    index = None if looked_up <= _LOOKED_UP_SHARE * len(ordered) else MinHashLSH(num_perm=PERMUTATIONS, params=bands)
    stories: list[Story] = []
    story_of_original: dict[str, Story] = {}
    position: dict[str, int] = {}  # each story's place in `stories`, by its id
    hashes = _Values()  # each original's MinHash values
    shingles = _Shingles()
    leads = _LeadDays()
    new_originals: set[str] = set()  # originals here that were not originals in `earlier`
    newcomers = _Values()  # those of them in the index, looked up without it
    for doc in ordered:
        words = None if doc.id in before or signatures.knows(doc) else shingle_set(doc.text)
        signature = signatures.of(doc, words)
        if words is not None:
            shingles.of(doc, words)  # hashed now, while the shingles are at hand
        was = before.get(doc.id)
        if signature.is_empty():
            proposed = []
        elif was is not None and (was == doc.id or was in story_of_original):
            # its home there (or itself) still heads a story: only an original new here can come first
            limit = len(stories) if was == doc.id else position[was]
            proposed = [key for key in newcomers.sharing_a_band(signature.hashvalues, bands) if position[key] < limit]
        elif index is not None:
            proposed = index.query(signature)
        else:
            proposed = hashes.sharing_a_band(signature.hashvalues, bands)
        candidates = [story_of_original[key] for key in _likely(proposed, hashes, signature.hashvalues, threshold)
                      if leads.agree(story_of_original[key].original, doc)]
        candidates.sort(key=lambda story: position[story.id])  # the earliest story it is a copy of is its home
        first = (_first_alike([shingles.of(story.original) for story in candidates], shingles.of(doc), threshold)
                 if candidates else None)  # a document with no candidate is never shingled
        home = None if first is None else candidates[first]
        if home is None and was is not None and was != doc.id and was in story_of_original:
            home = story_of_original[was]
        if home is not None:
            home.documents.append(doc)
            shingles.let_go(doc)
            continue
        story = Story(id=doc.id, documents=[doc])
        position[story.id] = len(stories)
        stories.append(story)
        story_of_original[doc.id] = story
        if was != doc.id:
            new_originals.add(doc.id)
        if signature.is_empty():
            shingles.let_go(doc)
        else:
            if index is not None:
                index.insert(doc.id, signature)
            hashes.add(doc.id, signature.hashvalues)
            if doc.id in new_originals:
                newcomers.add(doc.id, signature.hashvalues)
    return stories


def get_ready(threshold: float = DEFAULT_SIMILARITY) -> None:
    """Do beforehand what the first grouping at `threshold` would start with (import datasketch, with numpy and
    scipy: about half a second; work out its LSH bands): for a caller with time to spare, waiting on another
    process."""
    _bands(max(0.05, threshold - _CANDIDATE_MARGIN))
    _empty_signature()


@cache
def _bands(threshold: float) -> tuple[int, int]:
    """The LSH index's bands and rows for a threshold, worked out once: datasketch integrates the error
    probabilities for every choice, some 50 ms an index."""
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    return index.b, index.r


def _sharing_a_band(rows: Any, values: Any, bands: tuple[int, int]) -> Any:
    """For each row of MinHash values, whether it shares a band (`bands` of so many rows, as the LSH index takes
    them from the start of the values) with `values`: what the index would propose."""
    count, width = bands
    equal = rows[:, :count * width] == values[:count * width]
    return equal.reshape(len(rows), count, width).all(axis=2).any(axis=1)


class _Shingles:
    """Shingle sets made when first needed, each kept as the sorted 64-bit digests of its shingles (`hashed`: some
    3 KB a document where the strings take 60 KB; thousands of originals are kept at once); a copy's let go once it
    has found its home (an original's are kept for the documents compared with it later)."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def of(self, doc: Document, words: set[str] | None = None) -> Any:
        """The document's shingle set, hashed (from `words`, its shingle set, when given)."""
        if doc.id not in self._made:
            self._made[doc.id] = hashed(words if words is not None else shingle_set(doc.text))
        return self._made[doc.id]

    def let_go(self, doc: Document) -> None:
        """Forget a document's shingles: it will not be compared again."""
        self._made.pop(doc.id, None)


class _LeadDays:
    """The days of the month each document's lead names (`lead_days`), read when first needed."""

    def __init__(self) -> None:
        self._read: dict[str, frozenset[tuple[int, int]]] = {}

    def agree(self, original: Document, other: Document) -> bool:
        """Whether the two leads can tell the same news (`same_lead_day`)."""
        return same_lead_day(self._of(original), self._of(other))

    def _of(self, doc: Document) -> frozenset[tuple[int, int]]:
        if doc.id not in self._read:
            self._read[doc.id] = lead_days(doc.text)
        return self._read[doc.id]


def lead_days(text: str) -> frozenset[tuple[int, int]]:
    """The days of the month (month, day) named in the text's first `LEAD_WORDS` words: "3 March", "March 3rd",
    "Sept. 3" (no year needed)."""
    lead = " ".join(text.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])
    days = set()
    for found in _DAY_OF_MONTH.finditer(lead):
        day, month = (found[1], found[2]) if found[1] else (found[4], found[3])
        if 1 <= int(day) <= 31:
            days.add((_MONTH_NUMBERS[month[:3]], int(day)))
    return frozenset(days)


def same_lead_day(first: frozenset[tuple[int, int]], second: frozenset[tuple[int, int]]) -> bool:
    """Whether two leads' days (`lead_days`) let them tell the same news: one names none, or they share one."""
    return not first or not second or not first.isdisjoint(second)


class _Values:
    """The originals' MinHash values as rows of one growing matrix, so those of many originals are compared with a
    signature at once without stacking them anew."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}
        self._matrix: Any = None

    def add(self, key: str, values: Any) -> None:
        """An original's values."""
        import numpy

        if self._matrix is None:
            self._matrix = numpy.empty((64, len(values)), dtype=values.dtype)
        elif len(self._rows) == len(self._matrix):
            self._matrix = numpy.concatenate([self._matrix, numpy.empty_like(self._matrix)])
        self._matrix[len(self._rows)] = values
        self._rows[key] = len(self._rows)

    def of(self, keys: list[str]) -> Any:
        """The values of these originals, a row each."""
        return self._matrix[[self._rows[key] for key in keys]]

    def sharing_a_band(self, values: Any, bands: tuple[int, int]) -> list[str]:
        """The originals the LSH index would propose for these values (`_sharing_a_band`), in the order added."""
        if not self._rows:
            return []
        shared = _sharing_a_band(self._matrix[:len(self._rows)], values, bands)
        return [key for key, sharing in zip(self._rows, shared, strict=True) if sharing]


def _likely(proposed: list[str], hashes: _Values, values: Any, threshold: float) -> list[str]:
    """The proposed originals whose estimated similarity (the share of equal MinHash values, all compared at
    once) is within `_ESTIMATE_MARGIN` of the threshold: only those are compared exactly. Whether an original is
    kept depends on it and the document alone, never on what else was proposed (`group_stories`' `earlier`)."""
    if not proposed:
        return []
    import numpy

    estimates = numpy.mean(hashes.of(proposed) == values, axis=1)
    return [key for key, estimate in zip(proposed, estimates, strict=True) if estimate >= threshold - _ESTIMATE_MARGIN]


def shingle_set(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The document's shingles: runs of `size` normalised words within one sentence (a shorter sentence
    is one shingle)."""
    shingles: set[str] = set()
    for sentence in _SENTENCE_END.split(text.translate(_QUOTES)):
        words = [word.replace("'", "") for word in _WORD.findall(sentence.casefold())]
        if not words:
            continue
        shingles.update(" ".join(words[start:start + size]) for start in range(max(1, len(words) - size + 1)))
    return shingles


def text_digest(text: str) -> str:
    """A short digest of a text: what its signature is kept under."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def grouping_key(doc: Document, signatures: Signatures) -> str:
    """What a document's place in a grouping depends on: its publication date and text ("DATE DIGEST")."""
    return f"{doc.published or ''} {signatures.digest(doc)}"


def minhash(shingles: set[str]) -> MinHash:
    """The MinHash signature of a shingle set, with the module's fixed permutations."""
    signature = _empty_signature().copy()
    signature.update_batch([shingle.encode("utf-8") for shingle in sorted(shingles)])
    return signature


def _signature_of(values: Any) -> MinHash:
    """A signature with the module's permutations and these MinHash values."""
    empty = _empty_signature()
    from datasketch import MinHash

    return MinHash(seed=SEED, hashvalues=values, permutations=empty.permutations, scheme=empty.scheme)


@cache
def _empty_signature() -> MinHash:
    """An empty signature with the module's fixed permutations, made once and copied: datasketch would draw
    the permutations again for each new signature."""
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=SEED)


def jaccard(first: set[str], second: set[str]) -> float:
    """|A ∩ B| / |A ∪ B|, 0 for two empty sets."""
    shared = len(first & second)  # the union's size follows: no union set is built
    union = len(first) + len(second) - shared
    return shared / union if union else 0.0


def hashed(shingles: set[str]) -> Any:
    """A shingle set as the sorted array of its shingles' 64-bit digests: its Jaccard similarity to another
    (`hashed_jaccard`) is that of the sets unless two shingles share a digest, about one chance in 10^14 for a pair
    of documents. The digests are Python's own string hashes (SipHash, salted afresh in each process): they are
    compared within one grouping and never kept."""
    import numpy

    return numpy.unique(numpy.fromiter(map(hash, shingles), dtype=numpy.int64, count=len(shingles)))


def hashed_jaccard(first: Any, second: Any) -> float:
    """`jaccard` of two hashed shingle sets (`hashed`)."""
    import numpy

    if not first.size or not second.size:
        return 0.0
    at = numpy.searchsorted(second, first)  # where each of the first's digests would sit among the second's
    at[at == second.size] = 0
    shared = int(numpy.count_nonzero(second[at] == first))
    return shared / (first.size + second.size - shared)


def _alike(original: Any, other: Any, threshold: float) -> bool:
    """Whether a document is a copy of a story's original (both hashed shingle sets): similar enough
    (`_needed`)."""
    return hashed_jaccard(original, other) >= _needed(threshold, min(len(original), len(other)))


def _needed(threshold: float, smaller: int) -> float:
    """The similarity a copy needs when the smaller of the two shingle sets has this many: `threshold`, and more
    when either text is short."""
    return max(threshold, SHORT_SIMILARITY) if smaller < SHORT_SHINGLES else threshold


def _first_alike(originals: list[Any], other: Any, threshold: float) -> int | None:
    """The place among `originals` of the first that `other` is alike to (`_alike`; all hashed shingle sets), None
    if none is: a few are compared in turn, more all at once (their shared digests counted in one pass)."""
    if len(originals) < _ONE_BY_ONE or not other.size:
        return next((number for number, original in enumerate(originals) if _alike(original, other, threshold)), None)
    import numpy

    sizes = numpy.fromiter(map(len, originals), dtype=numpy.int64, count=len(originals))
    filled = numpy.flatnonzero(sizes)  # an empty set is alike to none (and counts nothing below)
    if not filled.size:
        return None
    digests = numpy.concatenate([originals[number] for number in filled])
    at = numpy.searchsorted(other, digests)  # as `hashed_jaccard`, for every original's digests at once
    at[at == other.size] = 0
    found = (other[at] == digests).astype(numpy.int64)
    starts = numpy.concatenate(([0], numpy.cumsum(sizes[filled])[:-1]))
    shared = numpy.add.reduceat(found, starts)
    similarity = shared / (sizes[filled] + other.size - shared)
    needed = [_needed(threshold, smaller) for smaller in numpy.minimum(sizes[filled], other.size).tolist()]
    alike = similarity >= numpy.array(needed)
    return int(filled[numpy.argmax(alike)]) if alike.any() else None


def _original_first(doc: Document) -> tuple[str, int, str]:
    # Undated documents sort last: a dated copy is more likely the original than an undated one.
    return doc.published or "9999", -len(doc.text), doc.id
