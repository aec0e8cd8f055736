"""How well the topic grouping finds the themes people write about, against gold labels.

    .venv/bin/python bench/topics/run.py            # tables for labelled.json and holdout.json
    .venv/bin/python bench/topics/run.py --demo     # also the groups of the demo's real topics

Prints adjusted Rand index, purity and normalised mutual information of

- the engine (``treffpunkt.matching.topics``) with the gold number of groups, and with the
  number it suggests itself;
- the engine without its lexicon (stems, compounds, TF-IDF only), to show what the lexicon adds;
- two baselines in the same process: random grouping (mean of 20 seeds) and a plain
  bag-of-words k-means (lower-cased words, no stop words, no stemming; mean of 20 seeds);

and the share of multi-theme topics whose secondary group is one of their other themes; the
same on the labelled set six times over with typos (516 topics), and the time that takes.
Imports no Django.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from treffpunkt.matching import topics as engine  # noqa: E402
from treffpunkt.matching import vectors  # noqa: E402
from treffpunkt.matching.text import load_lexicon  # noqa: E402

SEEDS = 20


def contingency(truth: list, found: list) -> np.ndarray:
    rows = {t: i for i, t in enumerate(sorted(set(truth), key=str))}
    cols = {f: i for i, f in enumerate(sorted(set(found), key=str))}
    table = np.zeros((len(rows), len(cols)))
    for t, f in zip(truth, found, strict=True):
        table[rows[t], cols[f]] += 1
    return table


def adjusted_rand(truth: list, found: list) -> float:
    table = contingency(truth, found)

    def pairs(x):
        return (x * (x - 1) / 2).sum()

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / pairs(np.array([table.sum()]))
    maximum = (rows + cols) / 2
    return float((index - expected) / (maximum - expected)) if maximum != expected else 1.0


def purity(truth: list, found: list) -> float:
    table = contingency(truth, found)
    return float(table.max(axis=0).sum() / table.sum())


def nmi(truth: list, found: list) -> float:
    """Normalised mutual information, arithmetic mean of the entropies (scikit-learn's default)."""
    table = contingency(truth, found)
    p = table / table.sum()
    pt, pf = p.sum(axis=1), p.sum(axis=0)
    nonzero = p > 0
    mutual = (p[nonzero] * np.log(p[nonzero] / np.outer(pt, pf)[nonzero])).sum()

    def entropy(x):
        return -(x[x > 0] * np.log(x[x > 0])).sum()

    denominator = (entropy(pt) + entropy(pf)) / 2
    return float(mutual / denominator) if denominator > 0 else 1.0


def scores(truth: list, found: list) -> tuple[float, float, float]:
    return adjusted_rand(truth, found), purity(truth, found), nmi(truth, found)


def random_grouping(n: int, k: int, seed: int) -> list[int]:
    return np.random.default_rng(seed).integers(k, size=n).tolist()


def bag_of_words_kmeans(texts: list[str], k: int, seed: int) -> list[int]:
    """The plain baseline: word counts (lower-cased), L2 rows, Euclidean k-means++ (Lloyd)."""
    docs = [Counter(re.findall(r"[^\W_]+", t.lower())) for t in texts]
    vocab = sorted({w for d in docs for w in d})
    column = {w: i for i, w in enumerate(vocab)}
    x = np.zeros((len(docs), len(vocab)))
    for row, doc in enumerate(docs):
        for word, count in doc.items():
            x[row, column[word]] = count
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    rng = np.random.default_rng(seed)
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        d = np.min([((x - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(x[rng.choice(len(x), p=d / d.sum())] if d.sum() > 0 else x[0])
    centres = np.array(centres)
    labels = np.zeros(len(x), dtype=int)
    for _ in range(100):
        new = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2).argmin(axis=1)
        if (new == labels).all() and _ > 0:
            break
        labels = new
        for c in range(k):
            if (labels == c).any():
                centres[c] = x[labels == c].mean(axis=0)
    return labels.tolist()


def engine_labels(texts: list[str], k: int | None, lexicon=None) -> tuple[list, int]:
    space = engine.TopicSpace(texts, lexicon=lexicon)
    k = k or space.suggest_k()
    labels = space.cluster(k)
    return [-1 if label is None else label for label in labels], k


def secondary_hits(items: list[dict], texts: list[str]) -> tuple[int, int, int]:
    """Multi-theme topics: how many got a primary and a secondary group that are two of their
    themes (a group "is" the gold theme most of its primary members carry).
    """
    space = engine.TopicSpace(texts)
    k = len({item["label"] for item in items})
    grouping = space.describe(space.cluster(k))
    theme = {
        group.label: Counter(items[i]["label"] for i in group.members).most_common(1)[0][0]
        for group in grouping.groups
    }
    multi = [i for i, item in enumerate(items) if item.get("also")]
    hits = 0
    for i in multi:
        themes = {items[i]["label"], *items[i]["also"]}
        found = {theme[grouping.primary[i]]}
        if grouping.secondary[i] is not None:
            found.add(theme[grouping.secondary[i]])
        hits += len(found) == 2 and found <= themes
    marked = sum(1 for s in grouping.secondary if s is not None)
    return hits, len(multi), marked


def evaluate(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = [item for item in data["topics"] if item["label"] is not None]
    texts = [item["text"] for item in items]
    truth = [item["label"] for item in items]
    k = len(set(truth))
    no_lexicon = replace(
        load_lexicon(), phrases={}, parts={}, near={}, concepts=load_lexicon().concepts
    )
    rows, ranges, default_seed = [], [], vectors.SEED
    found, _ = engine_labels(texts, k)
    rows.append((f"engine, k = {k} (gold)", *scores(truth, found)))
    found, suggested = engine_labels(texts, None)
    rows.append((f"engine, k = {suggested} (suggested)", *scores(truth, found)))
    spread = []
    for seed in range(10):
        vectors.SEED = seed
        spread.append(scores(truth, engine_labels(texts, k)[0]))
    vectors.SEED = default_seed
    spread = np.array(spread)
    low, high = spread.min(axis=0), spread.max(axis=0)
    rows.append(
        (f"engine, k = {k}, mean of 10 other seeds", *spread.mean(axis=0)),
    )
    ranges.append(
        f"Over those 10 seeds ARI ranged {low[0]:.3f}–{high[0]:.3f}, purity {low[1]:.3f}–"
        f"{high[1]:.3f}, NMI {low[2]:.3f}–{high[2]:.3f}."
    )
    found, _ = engine_labels(texts, k, lexicon=no_lexicon)
    rows.append((f"engine without lexicon, k = {k}", *scores(truth, found)))
    for name, method in (
        ("random grouping", lambda seed: random_grouping(len(texts), k, seed)),
        ("bag-of-words k-means", lambda seed: bag_of_words_kmeans(texts, k, seed)),
    ):
        runs = np.array([scores(truth, method(seed)) for seed in range(SEEDS)])
        rows.append((f"{name}, k = {k} (mean of {SEEDS})", *runs.mean(axis=0)))
    print(f"\n### {path.name}: {len(items)} topics, {k} gold themes\n")
    print("| method | ARI | purity | NMI |")
    print("| --- | ---: | ---: | ---: |")
    for name, ari, pur, mi in rows:
        print(f"| {name} | {ari:.3f} | {pur:.3f} | {mi:.3f} |")
    print("\n" + " ".join(ranges))
    hits, multi, marked = secondary_hits(items, texts)
    print(
        f"\nMulti-theme topics whose primary and secondary group are two of their themes: "
        f"{hits} of {multi}; topics with a secondary group at all: {marked} of {len(items)}."
    )


def with_typos(text: str, rng: np.random.Generator, share: float = 0.3) -> str:
    """``text`` with typing errors in about ``share`` of its longer words."""

    def typo(word: str) -> str:
        if len(word) < 5 or rng.random() >= share:
            return word
        i = int(rng.integers(1, len(word) - 1))
        kind = int(rng.integers(4))
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
        if kind == 1:
            return word[:i] + word[i + 1 :]  # a letter missing
        if kind == 2:
            return word[:i] + word[i] + word[i:]  # a letter twice
        return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")

    return re.sub(r"[^\W_]+", lambda m: typo(m.group()), text)


def typo_corpus(path: Path, copies: int = 6) -> tuple[list[str], list[str]]:
    """The labelled topics six times, each copy after the first with its own typos."""
    items = [i for i in json.loads(path.read_text(encoding="utf-8"))["topics"] if i["label"]]
    rng = np.random.default_rng(7)
    texts = [
        item["text"] if c == 0 else with_typos(item["text"], rng)
        for c in range(copies)
        for item in items
    ]
    return texts, [item["label"] for _ in range(copies) for item in items]


def robustness_and_timing(path: Path) -> None:
    texts, truth = typo_corpus(path)
    k = len(set(truth))
    load_lexicon()
    started, cpu = time.perf_counter(), time.process_time()
    space = engine.TopicSpace(texts)
    labels = space.cluster(k)
    space.describe(labels)
    fixed, fixed_cpu = time.perf_counter() - started, time.process_time() - cpu
    ari, pur, mi = scores(truth, [-1 if x is None else x for x in labels])
    started, cpu = time.perf_counter(), time.process_time()
    space = engine.TopicSpace(texts)
    suggested_k = space.suggest_k()
    space.describe(space.cluster(suggested_k))
    suggested, suggested_cpu = time.perf_counter() - started, time.process_time() - cpu
    words = {w for t in texts for w in re.findall(r"[^\W_]+", t.lower())}
    print(
        f"\nWith typos: {len(texts)} topics ({len(set(texts))} different, {len(words)} different"
        f" words; the labelled set six times, five copies with typos in 30 % of the longer"
        f" words), k = {k}: ARI {ari:.3f}, purity {pur:.3f}, NMI {mi:.3f}."
        f"\nTime for them (one process, lexicon loaded, stem cache cold for the first run):"
        f" {fixed:.2f} s ({fixed_cpu:.2f} s CPU) with k = {k}; {suggested:.2f} s"
        f" ({suggested_cpu:.2f} s CPU) when the engine also suggests k (it tried k = 2..8"
        f" and chose {suggested_k})."
    )


def demo() -> None:
    network = json.loads(
        (HERE.parents[1] / "treffpunkt/demo/network.json").read_text(encoding="utf-8")
    )
    registrations = network["past_meeting"]["registrations"]
    texts = [r["topics"] for r in registrations if r["status"] != "cancelled"]
    for k in (None, 3):
        grouping = engine.group_topics(texts, k)
        print(f"\n### Demo, past meeting: {len(texts)} topics, k = {grouping.k}", end="")
        print(" (suggested)" if k is None else " (the meeting's three stations)")
        for group in grouping.groups:
            print(f"\n**{group.name}** ({len(group.members)}): {', '.join(group.terms)}")
            for index in group.members:
                print(f"- {texts[index][:110]}")
            for index in group.touching:
                print(f"- (also) {texts[index][:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="show the demo meeting's groups")
    options = parser.parse_args()
    for name in ("labelled.json", "holdout.json"):
        if (HERE / name).exists():
            evaluate(HERE / name)
    robustness_and_timing(HERE / "labelled.json")
    if options.demo:
        demo()


if __name__ == "__main__":
    main()
