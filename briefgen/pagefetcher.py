"""The URL fetcher WeasyPrint lays a brief out with: `data:` URLs and the project's allowed folders only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from weasyprint.urls import URLFetcher

from briefgen import urlpolicy


class ProjectFetcher(URLFetcher):
    """Fetches `data:` URLs and files under the allowed folders only (urlpolicy); nothing else, no redirects."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = [folder.resolve() for folder in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Refuse any URL that is not data: or a file inside an allowed folder, whatever its case or form."""
        if urlpolicy.scheme(url) == "data":
            return super().fetch(urlpolicy.normalise(url), headers)
        path = urlpolicy.allowed_file(url, self._allowed)
        if path is None:
            self.refused.append(url[:200])
            raise ValueError(f"refused to load {url[:200]}: only data: URLs and files in the project's template "
                             "and static folders")
        return super().fetch(path.as_uri(), headers)
