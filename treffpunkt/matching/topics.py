"""Group participants' topics by meaning, so that dialogue stations can grow out of them.

Pure Python and numpy, no Django, no outside service, nothing downloaded: German free text goes
through ``text.Analyser`` (stems, compound parts, the domain lexicon of synonyms), becomes a
TF-IDF vector of three blocks (words, lexicon concepts, character n-grams), and spherical
k-means groups the vectors. Every group gets a suggested short German station name and its
top terms; every topic a primary group and, where it clearly touches another one, a
secondary group. The same input gives the same groups (seeded, ties broken by position).

    >>> grouping = group_topics(["KI in der Wartung", "Energiepreise", ...], k=3)
    >>> grouping.groups[0].name, grouping.groups[0].terms, grouping.groups[0].members

From the command line: ``python -m treffpunkt.matching.topics TOPICS.json [-k 4]`` with a
JSON list of strings prints the groups.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from treffpunkt.blas import one_blas_thread

from .text import Analyser, Analysis, Lexicon, load_lexicon
from .vectors import best_kmeans, by_size, lsa, normalise, silhouette, tfidf

#: Weights of the three feature blocks in the cosine similarity.
WORD_WEIGHT = 1.0
CONCEPT_WEIGHT = 3.0
GRAM_WEIGHT = 0.25
#: Character n-gram lengths (on folded words, with word-boundary marks).
GRAM_SIZES = (4,)
#: Dimensions kept of the topics' similarity structure before clustering (noise goes).
LSA_DIMENSIONS = 40
#: Seeded k-means restarts while trying out k (the final grouping uses vectors.RESTARTS).
TRIAL_RESTARTS = 10
#: A second group counts as touched when the topic is this similar to it, relative to its
#: own group and at least ``SECONDARY_FLOOR`` absolutely.
SECONDARY_RATIO = 0.6
SECONDARY_FLOOR = 0.15
#: A lexicon concept names a group when at least this share of its topics mention it.
NAME_SHARE = 0.34
#: Terms shown per group.
TERMS = 6
#: The range ``suggest_k`` considers.
K_MIN, K_MAX = 2, 8


@dataclass(frozen=True)
class Group:
    """One group of topics: a suggested station name, top terms and members."""

    label: int
    name: str
    terms: tuple[str, ...]
    #: indices of the topics whose primary group this is, most typical first
    members: tuple[int, ...]
    #: indices of topics of other groups that touch this one too (secondary)
    touching: tuple[int, ...]


@dataclass(frozen=True)
class Grouping:
    """The result: groups (largest first) and, per topic, its primary and secondary label."""

    k: int
    groups: tuple[Group, ...]
    primary: tuple[int | None, ...]
    secondary: tuple[int | None, ...]
    #: topics with nothing to group by (empty, or only filler words)
    ungrouped: tuple[int, ...]

    def group(self, label: int) -> Group:
        return next(group for group in self.groups if group.label == label)


class TopicSpace:
    """The topics as vectors: analyse once, then cluster, describe or assign at will."""

    def __init__(self, texts: Sequence[str], *, lexicon: Lexicon | None = None) -> None:
        self.texts = [text or "" for text in texts]
        self.lexicon = lexicon or load_lexicon()
        analyser = Analyser(self.lexicon, Analyser.vocabulary(self.texts, self.lexicon))
        self.analyses = [analyser.analyse(text) for text in self.texts]
        self.word_block, self.word_features = tfidf([a.stems for a in self.analyses])
        concept_counts = [a.concepts for a in self.analyses]
        concept_block, _ = tfidf(concept_counts)
        gram_block, _ = tfidf([_grams(a) for a in self.analyses], min_df=2)
        self.vectors = normalise(
            np.hstack(
                [
                    self.word_block * math.sqrt(WORD_WEIGHT),
                    concept_block * math.sqrt(CONCEPT_WEIGHT),
                    gram_block * math.sqrt(GRAM_WEIGHT),
                ]
            )
        )
        self.grouped = [i for i, a in enumerate(self.analyses) if not a.is_empty]
        self._embedding: np.ndarray | None = None

    @cached_property
    def distinct(self) -> int:
        """How many different topics there are to group (duplicates count once)."""
        if not self.grouped:
            return 0
        return len(
            {
                tuple(np.flatnonzero(row)) + tuple(row[row != 0].round(6))
                for row in self.vectors[self.grouped]
            }
        )

    @one_blas_thread
    def embedding(self) -> np.ndarray:
        """The grouped topics in a few dimensions (latent semantic analysis), rows normalised."""
        if self._embedding is None:
            self._embedding = normalise(lsa(self.vectors[self.grouped], LSA_DIMENSIONS))
        return self._embedding

    @one_blas_thread
    def cluster(self, k: int) -> list[int | None]:
        """A label per topic (0..k-1, largest group first), None for topics without content.

        ``k`` is capped at the number of distinct topics.
        """
        labels: list[int | None] = [None] * len(self.texts)
        k = max(1, min(k, self.distinct))
        if not self.grouped:
            return labels
        found = best_kmeans(self.embedding(), k)
        for index, label in zip(self.grouped, by_size(found), strict=True):
            labels[index] = label
        return labels

    @one_blas_thread
    def suggest_k(self, k_min: int = K_MIN, k_max: int = K_MAX) -> int:
        """The number of groups with the clearest separation (silhouette), within the range."""
        top = min(k_max, self.distinct - 1, len(self.grouped) // 2)
        if top < k_min:
            return max(1, min(self.distinct, k_min))
        points = self.embedding()
        distance = 1 - points @ points.T
        scores = {k: silhouette(distance, best_kmeans(points, k)) for k in range(k_min, top + 1)}
        return max(scores, key=lambda k: (round(scores[k], 3), -k))

    @one_blas_thread
    def describe(self, labels: Sequence[int | None]) -> Grouping:
        """Names, terms and secondary groups for ``labels`` (as clustered, or edited by hand)."""
        if len(labels) != len(self.texts):
            raise ValueError("one label per topic, please")
        present = sorted({label for label in labels if label is not None})
        centroids = self._centroids(labels, present)
        similarity = self.vectors @ centroids.T if present else np.zeros((len(labels), 0))
        secondary = self._secondary(labels, present, similarity)
        described = []
        for column, label in enumerate(present):
            members = [i for i, lab in enumerate(labels) if lab == label]
            members.sort(key=lambda i: (-similarity[i, column], i))
            touching = [i for i, lab in enumerate(secondary) if lab == label]
            described.append((label, members, touching, self._terms(labels, label)))
        names = self._names(described)
        groups = [
            Group(label, names[label], tuple(terms), tuple(members), tuple(touching))
            for label, members, touching, terms in described
        ]
        groups.sort(key=lambda g: (-len(g.members), g.members[0] if g.members else 0))
        return Grouping(
            k=len(groups),
            groups=tuple(groups),
            primary=tuple(labels),
            secondary=tuple(secondary),
            ungrouped=tuple(i for i, a in enumerate(self.analyses) if a.is_empty),
        )

    @one_blas_thread
    def nearest(self, labels: Sequence[int | None], indices: Sequence[int]) -> dict[int, int]:
        """The most similar existing group for each topic in ``indices`` (ones with content)."""
        present = sorted({label for label in labels if label is not None})
        if not present:
            return {}
        centroids = self._centroids(labels, present)
        found = {}
        for index in indices:
            if self.analyses[index].is_empty:
                continue
            found[index] = present[int(np.argmax(self.vectors[index] @ centroids.T))]
        return found

    def _centroids(self, labels: Sequence[int | None], present: list[int]) -> np.ndarray:
        rows = [
            self.vectors[[i for i, lab in enumerate(labels) if lab == label]].sum(axis=0)
            for label in present
        ]
        return normalise(np.array(rows)) if rows else np.zeros((0, self.vectors.shape[1]))

    def _secondary(self, labels, present, similarity) -> list[int | None]:
        """The other group a topic touches: it names a theme that leads that group.

        A theme leads a group when ``NAME_SHARE`` of its topics mention it (as for the name);
        of several such groups, the most similar one. Without a lexicon theme, a topic that
        is nearly as close to another group as to its own (``SECONDARY_RATIO``) touches it.
        """
        secondary: list[int | None] = [None] * len(labels)
        if len(present) < 2:
            return secondary
        column_of = {label: column for column, label in enumerate(present)}
        leading = {label: self._leading_concepts(labels, label) for label in present}
        for index, label in enumerate(labels):
            if label is None:
                continue
            own = similarity[index, column_of[label]]
            mentioned = self.analyses[index].direct - leading[label]
            candidates = [
                other for other in present if other != label and mentioned & leading[other]
            ]
            if not candidates:
                candidates = [
                    other
                    for other in present
                    if other != label
                    and similarity[index, column_of[other]]
                    >= max(SECONDARY_FLOOR, SECONDARY_RATIO * own)
                ]
            if candidates:
                secondary[index] = max(
                    candidates, key=lambda other: similarity[index, column_of[other]]
                )
        return secondary

    def _leading_concepts(self, labels: Sequence[int | None], label: int) -> set[str]:
        members = [i for i, lab in enumerate(labels) if lab == label]
        counts: Counter = Counter()
        for index in members:
            counts.update(self.analyses[index].direct)
        return {key for key, count in counts.items() if count / len(members) >= NAME_SHARE}

    def _terms(self, labels: Sequence[int | None], label: int) -> list[str]:
        """The words that set this group apart: frequent inside, rare outside."""
        inside = [i for i, lab in enumerate(labels) if lab == label]
        outside = [i for i, lab in enumerate(labels) if lab is not None and lab != label]
        score = self.word_block[inside].mean(axis=0)
        if outside:
            score = score - self.word_block[outside].mean(axis=0)
        terms: list[str] = []
        for feature in np.argsort(-score, kind="stable"):
            if score[feature] <= 0 or len(terms) == TERMS:
                break
            surface = self._surface(self.word_features[feature], inside)
            if surface.lower() not in {t.lower() for t in terms}:
                terms.append(surface)
        return terms

    def _surface(self, stem: str, members: list[int]) -> str:
        forms: Counter = Counter()
        for index in members:
            forms.update(self.analyses[index].surfaces.get(stem, {}))
        return forms.most_common(1)[0][0] if forms else stem

    def _names(self, described) -> dict[int, str]:
        names: dict[int, str] = {}
        used: Counter = Counter()
        for label, members, _touching, terms in described:
            name = self._concept_name(members) or (terms[0] if terms else "")
            names[label] = name
            used[name] += 1
        for label, _members, _touching, terms in described:
            name = names[label]
            extra = next((t for t in terms if t.lower() not in name.lower()), None)
            if (used[name] > 1 or not name) and extra:
                names[label] = f"{name}: {extra}" if name else extra
        return names

    def _concept_name(self, members: list[int]) -> str | None:
        """The lexicon name most members mention ("Künstliche Intelligenz"), or two of them."""
        if not members:
            return None
        counts: Counter = Counter()
        for index in members:
            counts.update(self.analyses[index].direct)
        ranked = sorted(counts, key=lambda key: (-counts[key], key))
        chosen = [key for key in ranked if counts[key] / len(members) >= NAME_SHARE][:2]
        if not chosen:
            return None
        names = [self.lexicon.concepts[key].name for key in chosen]
        if len(names) == 2 and " und " not in names[0] + names[1]:
            return f"{names[0]} und {names[1]}"
        return names[0]


def group_topics(
    texts: Sequence[str], k: int | None = None, *, lexicon: Lexicon | None = None
) -> Grouping:
    """Group ``texts`` into ``k`` groups (or as many as ``TopicSpace.suggest_k`` finds)."""
    space = TopicSpace(texts, lexicon=lexicon)
    return space.describe(space.cluster(k or space.suggest_k()))


def _grams(analysis: Analysis) -> Counter:
    grams: Counter = Counter()
    for word in analysis.folded:
        marked = f"<{word}>"
        for size in GRAM_SIZES:
            grams.update(marked[i : i + size] for i in range(len(marked) - size + 1))
    return grams


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m treffpunkt.matching.topics", description="Group topics by meaning."
    )
    parser.add_argument("file", help="JSON file with a list of topic strings, or - for stdin")
    parser.add_argument("-k", type=int, help="number of groups (default: suggested)")
    options = parser.parse_args(argv)
    handle = sys.stdin if options.file == "-" else open(options.file, encoding="utf-8")  # noqa: SIM115
    with handle:
        texts = json.load(handle)
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        parser.exit(2, "the file must hold a JSON list of strings\n")
    if options.k is not None and options.k < 1:
        parser.exit(2, "-k must be at least 1\n")
    grouping = group_topics(texts, options.k)
    for group in grouping.groups:
        print(f"## {group.name}  ({', '.join(group.terms)})")
        for index in group.members:
            print(f"  - {texts[index]}")
        for index in group.touching:
            print(f"  ~ {texts[index]}")
    if grouping.ungrouped:
        print(f"## ungrouped: {len(grouping.ungrouped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
