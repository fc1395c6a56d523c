"""The shared documents by title, issuer and date, read at run time from their own descriptions.

The five seed documents are described in ``seeds/README.md`` (a table: file, what it is, period);
public-facts.md says what it is in its first heading and its sections' headings name the
publisher and release. Both are read from the shared folder (`scenario_io.shared_dir()`, ../shared
beside the project); when a file is missing, a document is shown by its file name alone.
No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.scenario_io import shared_dir

PUBLIC_FACTS = "public-facts.md"
_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+)`\s*\|(?P<what>[^|]+)\|(?P<period>[^|]+)\|\s*$")
_DATE = re.compile(
    r"\b(\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4})\b"
)
_ISSUER = (
    re.compile(r"^Transcript of the (?P<issuer>.+?) press conference\b"),
    re.compile(r"^(?P<issuer>.+?)(?:'s)? (?:feature|summary|review)\b"),
)


@dataclass(frozen=True)
class Document:
    """What a shared document is: its file, title, issuer and date ("" where not known)."""

    file: str
    title: str
    issuer: str = ""
    date: str = ""


def _seed(file: str, what: str, period: str) -> Document:
    """One row of the seeds' README table as a document."""
    what, period = what.strip(), period.strip()
    title = re.split(r"[:;]|, a ", what)[0].strip()
    issuer = ""
    for pattern in _ISSUER:
        m = pattern.match(what)
        if m:
            issuer = m.group("issuer").strip()
            break
    date = _DATE.search(what)
    return Document(file, title, issuer, date.group(1) if date else period)


def seeds(folder: Path | None = None) -> dict[str, Document]:
    """The seed documents described in seeds/README.md, by file name ({} if it is missing)."""
    readme = (folder or shared_dir()) / "seeds" / "README.md"
    if not readme.is_file():
        return {}
    out = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line.strip())
        if m:
            out[m["file"]] = _seed(m["file"], m["what"], m["period"])
    return out


def public_facts(folder: Path | None = None) -> Document | None:
    """public-facts.md: its title (first heading), publishers (its introduction) and releases."""
    path = (folder or shared_dir()) / PUBLIC_FACTS
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    title = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), PUBLIC_FACTS)
    issuers = re.search(r"official releases \(([^)]+)\)", text)
    years = sorted(set(re.findall(r"^## .*?\b(20\d\d)\b", text, flags=re.M)))
    date = f"{years[0]}–{years[-1]}" if len(years) > 1 else (years[0] if years else "")
    return Document(PUBLIC_FACTS, title, issuers.group(1) if issuers else "", date)


def catalogue(folder: Path | None = None) -> dict[str, Document]:
    """Every shared document that describes itself, by file name."""
    out = seeds(folder)
    facts = public_facts(folder)
    if facts is not None:
        out[PUBLIC_FACTS] = facts
    return out


def describe(file: str, docs: dict[str, Document]) -> Document:
    """The document `file`, or one named by its file name when it does not describe itself."""
    return docs.get(file) or Document(file, file)


def section_of(file: str, quote: str, folder: Path | None = None) -> str:
    """The heading of the section of public-facts.md a quote is in ("" if not found)."""
    if file != PUBLIC_FACTS:
        return ""
    path = (folder or shared_dir()) / PUBLIC_FACTS
    if not path.is_file():
        return ""
    heading = ""
    probe = quote.split("|")[0].strip()[:40]
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.startswith("## "):
            heading = ln[3:].strip()
        elif probe and probe in ln:
            return heading
    return ""


def plain_text(text: str) -> str:
    """Markdown as plain text: table rows as "a：b", no separator rows, headings or emphasis."""
    lines = []
    for ln in text.splitlines():
        s = ln.strip()
        if re.fullmatch(r"\|?\s*:?-{3,}.*", s):
            continue  # a table's separator row
        if "|" in s:
            cells = [c.strip() for c in s.strip("|").split("|")]
            s = "：".join(c for c in cells if c)
        s = re.sub(r"^#+\s*", "", s)
        s = s.replace("**", "").replace("`", "")
        lines.append(s)
    return "\n".join(lines)
