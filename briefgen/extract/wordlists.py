"""The word lists extraction reads as data (briefgen/extract/data/*.yaml): one reader, each file read once.

No rule module holds a list of words in code: cue verbs, role heads, ranks, place heads, institution
names and the like live in these files, where a reviewer can read them and a desk can see what counts.
`load_words` reads a file into a typed model (`WordLists` subclasses), so that a list missing, misnamed
or of the wrong shape fails at once, naming the file and the list.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

DATA = Path(__file__).with_name("data")


def _lower_words(value: Any) -> Any:
    return [str(word).lower() for word in value] if isinstance(value, list) else value


# A list of words, compared in lower case.
Words = Annotated[frozenset[str], BeforeValidator(_lower_words)]


class WordLists(BaseModel):
    """Base of the typed view of one data file: every list must be there, and no other."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Lists = TypeVar("Lists", bound=WordLists)


@cache
def word_lists(name: str) -> dict[str, Any]:
    """The mapping in data/<name>.yaml (shared by every caller: treat it as read-only)."""
    data: dict[str, Any] = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@cache
def load_words(name: str, model: type[Lists]) -> Lists:
    """data/<name>.yaml read as `model`, once per process."""
    try:
        return model.model_validate(word_lists(name))
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ValueError(f"{DATA / name}.yaml: {where}: {problem['msg']}") from None
