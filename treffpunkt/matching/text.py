"""German text features for the topic grouping: words, stems, compound parts, lexicon concepts.

Pure Python (no Django). The lexicon and the stop words live in ``lexicon_de.json`` beside this
module, so that an organiser's office can extend them without touching code.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import snowballstemmer

LEXICON_FILE = Path(__file__).with_name("lexicon_de.json")

#: Longer texts are cut here: a topic is a few sentences, and the cut keeps the engine fast.
MAX_CHARS = 2000
#: A lexicon word this long also matches as the front or back part of a compound.
MIN_COMPOUND_TERM = 5
#: Words this long are checked against the lexicon for a typo (one letter off).
MIN_FUZZY = 6
#: Weight of a broader concept per step up ("Wärmeplanung" counts half towards "Energie").
BROADER_WEIGHT = 0.5

#: Words kept in the stem and fold caches before they are emptied.
_CACHE_SIZE = 200_000

_WORD = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e"})


_SPELLED_OUT = re.compile(r"(?<!q)([aou])e")


_folded: dict[str, str] = {}


def fold(word: str) -> str:
    """Lower-case without umlauts: "Wärme", "Waerme" and "Warme" compare equal (cached)."""
    found = _folded.get(word)
    if found is None:
        found = _SPELLED_OUT.sub(r"\1", word.lower().translate(_FOLD))
        if len(_folded) >= _CACHE_SIZE:
            _folded.clear()
        _folded[word] = found
    return found


def words(text: str) -> list[str]:
    """The words of a text as written (hyphens split: "KI-Assistent" is two words)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text)[:MAX_CHARS])


_local = threading.local()
#: Stems are shared by all analysers of the process (a dict is safe to share under the GIL).
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball's German stem of ``word`` (it reads "ae" as "ä" too), cached.

    A Snowball stemmer keeps state while it works, so each thread has its own.
    """
    found = _stems.get(word)
    if found is None:
        stemmer = getattr(_local, "stemmer", None)
        if stemmer is None:
            stemmer = _local.stemmer = snowballstemmer.stemmer("german")
        found = stemmer.stemWord(word.lower())
        if len(_stems) >= _CACHE_SIZE:
            _stems.clear()
        _stems[word] = found
    return found


@dataclass(frozen=True)
class Concept:
    key: str
    name: str
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Concepts with their words, compound parts and stop words, ready for matching."""

    concepts: dict[str, Concept]
    #: stem sequence of a phrase or word -> concepts it means
    phrases: dict[tuple[str, ...], frozenset[str]]
    #: folded word (five letters or more) -> concepts, for parts of compounds
    parts: dict[str, frozenset[str]]
    #: one-letter deletions of folded words -> concepts, for typos
    near: dict[str, frozenset[str]]
    #: folded words a compound may be made of (lexicon words and the seed list)
    compound_parts: frozenset[str]
    stopwords: frozenset[str]
    longest_phrase: int = 1

    def broader_of(self, key: str) -> dict[str, float]:
        """The broader concepts of ``key`` with their weights (halved per step up)."""
        found: dict[str, float] = {}
        frontier, weight = [key], 1.0
        while frontier:
            weight *= BROADER_WEIGHT
            frontier = [up for k in frontier for up in self.concepts[k].broader if up not in found]
            for up in frontier:
                found[up] = weight
        found.pop(key, None)
        return found


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _add(index: dict, key, concept: str) -> None:
    index.setdefault(key, set()).add(concept)


def _freeze(index: dict) -> dict:
    return {key: frozenset(value) for key, value in index.items()}


def _single_words(concepts: dict) -> set[str]:
    found = set()
    for entry in concepts.values():
        for term in entry["terms"]:
            tokens = words(term.lstrip("="))
            if len(tokens) == 1 and len(tokens[0]) >= 3:
                found.add(fold(tokens[0]))
    return found


@cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and index a lexicon file (cached: the default one is read once per process)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    concepts, phrases, parts, near = {}, {}, {}, {}
    for key, entry in data["concepts"].items():
        concepts[key] = Concept(key, entry["name"], tuple(entry.get("broader", ())))
        for term in entry["terms"]:
            exact = term.startswith("=")
            tokens = words(term.lstrip("="))
            _add(phrases, tuple(stem(t) for t in tokens), key)
            if len(tokens) == 1 and not exact:
                folded = fold(tokens[0])
                if len(folded) >= MIN_COMPOUND_TERM:
                    _add(parts, folded, key)
                if len(folded) >= MIN_FUZZY:
                    for variant in _deletions(folded):
                        _add(near, variant, key)
    for key, concept in concepts.items():
        unknown = set(concept.broader) - set(concepts)
        if unknown:
            raise ValueError(f"{path.name}: concept '{key}' names unknown broader {unknown}")
    return Lexicon(
        concepts=concepts,
        phrases=_freeze(phrases),
        parts=_freeze(parts),
        near=_freeze(near),
        compound_parts=frozenset(
            {fold(w) for w in data["compound_parts"]} | _single_words(data["concepts"])
        ),
        stopwords=frozenset(fold(w) for w in data["stopwords"]),
        longest_phrase=max(len(p) for p in phrases),
    )


@dataclass
class Analysis:
    """What one topic text says, as features."""

    #: stems of the words and of the parts of compounds, with counts
    stems: Counter = field(default_factory=Counter)
    #: folded content words (for character n-grams)
    folded: list[str] = field(default_factory=list)
    #: concept key -> weight (direct matches 1 each, broader ones less)
    concepts: dict[str, float] = field(default_factory=dict)
    #: concepts matched directly (not only through a broader link)
    direct: set[str] = field(default_factory=set)
    #: stem -> surface forms as written, for showing terms
    surfaces: dict[str, Counter] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.stems and not self.concepts


class Analyser:
    """Turns topic texts into features; knows the corpus's words to split compounds."""

    def __init__(self, lexicon: Lexicon, vocabulary: set[str] = frozenset()) -> None:
        self.lexicon = lexicon
        # Compound parts are known words: the lexicon's, the seed list, and every word
        # somebody wrote on its own in this set of topics.
        self.known = lexicon.compound_parts | vocabulary
        self._splits: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def vocabulary(texts, lexicon: Lexicon) -> set[str]:
        """Folded content words (four letters or more) that occur in ``texts``."""
        found = set()
        for text in texts:
            for word in words(text):
                folded = fold(word)
                if len(folded) >= 4 and folded not in lexicon.stopwords:
                    found.add(folded)
        return found

    def analyse(self, text: str) -> Analysis:
        result = Analysis()
        tokens = words(text or "")
        stems = [stem(t) for t in tokens]
        matched = self._match_phrases(stems, result)
        for position, (token, token_stem) in enumerate(zip(tokens, stems, strict=True)):
            folded = fold(token)
            if folded in self.lexicon.stopwords or len(folded) < 2 or folded.isdigit():
                continue
            self._add_stem(result, token_stem, token)
            result.folded.append(folded)
            if position in matched:  # a lexicon word says enough; its parts add noise
                continue
            pieces = self.split(token.lower())
            for piece in pieces:
                self._add_stem(result, stem(piece), piece.capitalize())
            self._match_word(folded, pieces, result)
        for key in list(result.direct):
            for up, weight in self.lexicon.broader_of(key).items():
                result.concepts[up] = result.concepts.get(up, 0.0) + weight
        return result

    @staticmethod
    def _add_stem(result: Analysis, key: str, surface: str) -> None:
        result.stems[key] += 1
        result.surfaces.setdefault(key, Counter())[surface] += 1

    @staticmethod
    def _hit(result: Analysis, concepts) -> None:
        for key in concepts:
            result.direct.add(key)
            result.concepts[key] = result.concepts.get(key, 0.0) + 1.0

    def _match_phrases(self, stems: list[str], result: Analysis) -> set[int]:
        """Longest phrases first; returns the positions they cover."""
        covered: set[int] = set()
        phrases = self.lexicon.phrases
        for size in range(min(self.lexicon.longest_phrase, len(stems)), 0, -1):
            for start in range(len(stems) - size + 1):
                span = range(start, start + size)
                if covered.intersection(span):
                    continue
                concepts = phrases.get(tuple(stems[start : start + size]))
                if concepts:
                    self._hit(result, concepts)
                    covered.update(span)
        return covered

    def _match_word(self, folded: str, pieces: tuple[str, ...], result: Analysis) -> None:
        """A word no phrase matched: try its compound parts, then a one-letter typo."""
        lexicon = self.lexicon
        found: set[str] = set()
        for piece in pieces:
            found |= lexicon.phrases.get((stem(piece),), frozenset())
        size = len(folded)
        for cut in range(MIN_COMPOUND_TERM, size - 2):
            found |= lexicon.parts.get(folded[:cut], frozenset())
            found |= lexicon.parts.get(folded[size - cut :], frozenset())
        if not found and size >= MIN_FUZZY:
            for variant in _deletions(folded):
                found |= lexicon.near.get(variant, frozenset())
        self._hit(result, found)

    def split(self, word: str, depth: int = 2) -> tuple[str, ...]:
        """Parts of a German compound ("fachkräftesicherung" -> fachkräfte, sicherung), or ()."""
        if depth == 0 or len(word) < 8:
            return ()
        cached = self._splits.get(word)
        if cached is not None:
            return cached
        best: tuple[str, str] | None = None
        for cut in range(3, len(word) - 3):
            left, right = word[:cut], word[cut:]
            if not self._known(right, _INFLECTIONS):
                continue
            left = self._known(left, _LINKS)
            if left and (best is None or min(len(left), len(right)) > min(map(len, best))):
                best = (left, right)
        parts: tuple[str, ...] = ()
        if best:
            left, right = best
            parts = (left, right, *self.split(left, depth - 1), *self.split(right, depth - 1))
        self._splits[word] = parts
        return parts

    def _known(self, part: str, endings: tuple[str, ...]) -> str | None:
        """``part`` as a known word, allowing for the given endings or a lost "e"."""
        folded = fold(part)
        if len(folded) < 3:
            return None
        if folded in self.known:
            return part
        if folded + "e" in self.known:
            return part + "e"
        for ending in endings:
            if folded.endswith(ending) and folded[: -len(ending)] in self.known:
                return part[: -len(ending)]
        return None


#: Endings of an inflected back part ("Dächern" is "Dächer"), and linking letters of a
#: front part ("Ausbildungs-messe", "Sonnen-energie").
_INFLECTIONS = ("n", "en", "e", "s", "es", "er", "ern", "nen")
_LINKS = ("s", "es", "n", "en")
