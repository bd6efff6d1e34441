"""Store speed: saving and reading back synthetic documents, on SQLite and (given a URL) on PostgreSQL.

    python benchmarks/store_speed.py [--documents 1000] [--postgresql postgresql://USER@HOST:PORT/DB]

Each document has 600 words, 15 actors with two mentions each, 15 dated events, 5 quotes and 150
sentences: about what extraction stores for a news article. The PostgreSQL database should be empty;
its tables are dropped afterwards. Prints wall-clock and this process's CPU seconds, best of three.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.database import StoreLocation
from briefgen.facts import Actor, Document, DocumentFacts, Event, Mention, Quote
from briefgen.store import ExtractionKey, FactStore

KEY = ExtractionKey("content", "extractor", "model", "gazetteer")
TABLES = ("provenance", "sentences", "facts", "documents", "editions", "runs", "approvals", "meta")


def synthetic(number: int) -> tuple[Document, DocumentFacts]:
    """One document and facts of the size extraction stores for a news article."""
    doc = f"d{number:06d}"
    facts = DocumentFacts(
        doc=doc,
        actors=[Actor(id=f"a{i}", name=f"Name {i}", kind="person",
                      mentions=[Mention(doc, i * 10, i * 10 + 5), Mention(doc, i * 10 + 100, i * 10 + 105)])
                for i in range(15)],
        events=[Event(id=f"e{i}", date="2025-09", date_text="September 2025", kind="attack", what="x" * 80,
                      doc=doc, start=i * 20, end=i * 20 + 15, precision="month") for i in range(15)],
        quotes=[Quote(id=f"q{i}", speaker="a1", speaker_name="Name 1", text="y" * 120, doc=doc, start=i * 30,
                      end=i * 30 + 25, cue="said", direct=True, disputed=False) for i in range(5)],
        sentences=[(i * 20, i * 20 + 19) for i in range(150)],
    )
    return Document(id=doc, path=f"{doc}.md", text="word " * 600, published="2025-10"), facts


def _timed(action: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(location: StoreLocation, pairs: list[tuple[Document, DocumentFacts]],
            empty: Callable[[], None]) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) seconds of three saves into an empty store, and of three reads of every fact."""
    saves, reads = [], []
    for _ in range(3):
        empty()

        def save() -> None:
            with FactStore(location) as store:
                store.save(pairs, KEY)

        def read() -> None:
            with FactStore(location) as store:
                store.facts([document.id for document in store.documents()])

        saves.append(_timed(save))
        reads.append(_timed(read))
    return min(saves), min(reads)


def _drop_tables(url: str) -> Callable[[], None]:
    def empty() -> None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            for table in TABLES:
                connection.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    return empty


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--postgresql", help="an empty database to measure too (its tables are dropped)")
    options = parser.parse_args()
    pairs = [synthetic(number) for number in range(options.documents)]
    print(f"{options.documents:,} documents; best of 3; wall s / CPU s of this process")
    with tempfile.TemporaryDirectory() as folder:
        def remove_file() -> None:
            for file in Path(folder).glob("briefgen.db*"):
                file.unlink()

        stores: list[tuple[str, StoreLocation, Callable[[], None]]] = [
            ("sqlite", Path(folder) / "briefgen.db", remove_file)]
        if options.postgresql:
            stores.append(("postgresql", options.postgresql, _drop_tables(options.postgresql)))
        for name, location, empty in stores:
            (save_wall, save_cpu), (read_wall, read_cpu) = measure(location, pairs, empty)
            print(f"{name:<11} save {save_wall:6.2f} / {save_cpu:5.2f}   read {read_wall:6.2f} / {read_cpu:5.2f}")
        if options.postgresql:
            _drop_tables(options.postgresql)()


if __name__ == "__main__":
    main()
