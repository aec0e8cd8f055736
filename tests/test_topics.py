"""The topic grouping engine (treffpunkt.matching.topics): pure Python, no database."""

import json
import subprocess
import sys

import pytest

from treffpunkt.matching import topics
from treffpunkt.matching.text import MAX_CHARS, Analyser, fold, load_lexicon
from treffpunkt.matching.topics import TopicSpace, group_topics

KI = [
    "KI in der Wartung",
    "künstliche Intelligenz für Instandhaltung",
    "Kann KI beim CNC-Programmieren Zeit sparen?",
]
ENERGY = [
    "Energiepreise und Strompreise für energieintensive Betriebe",
    "PV auf dem Hallendach und ein Stromspeicher",
    "Energieeffizienz in der Produktion",
]
SKILLS = [
    "Fachkräfte finden und halten",
    "Azubis gewinnen: Praktika und Berufsorientierung an Schulen",
    "Nachwuchs für das Handwerk",
]
THREE_THEMES = KI + ENERGY + SKILLS


def together(grouping, indices) -> bool:
    return len({grouping.primary[i] for i in indices}) == 1


def test_the_same_topics_give_the_same_groups():
    first = group_topics(THREE_THEMES, 3)
    second = group_topics(list(THREE_THEMES), 3)

    assert first == second


def test_three_clear_themes_fall_into_three_groups():
    grouping = group_topics(THREE_THEMES, 3)

    assert together(grouping, [0, 1, 2])
    assert together(grouping, [3, 4, 5])
    assert together(grouping, [6, 7, 8])
    assert len({grouping.primary[0], grouping.primary[3], grouping.primary[6]}) == 3


def test_the_lexicon_puts_ki_in_maintenance_and_artificial_intelligence_together():
    texts = [
        "KI in der Wartung",
        "künstliche Intelligenz für Instandhaltung",
        "Energiepreise im Mittelstand",
        "Strompreise und Gaspreise",
    ]

    grouping = group_topics(texts, 2)

    assert grouping.primary[0] == grouping.primary[1]
    assert grouping.primary[2] == grouping.primary[3]
    assert grouping.primary[0] != grouping.primary[2]


def test_the_lexicon_matches_synonyms_that_share_no_word():
    space = TopicSpace(["maschinelles Lernen", "AI", "Fachkräftemangel", "Personal finden"])

    concepts = [set(analysis.direct) for analysis in space.analyses]

    assert concepts == [{"ki"}, {"ki"}, {"fachkraefte"}, {"fachkraefte"}]


def test_groups_get_a_station_name_and_terms_from_their_topics():
    grouping = group_topics(THREE_THEMES, 3)

    names = {grouping.group(grouping.primary[i]).name for i in (0, 3, 6)}
    ki_group = grouping.group(grouping.primary[0])

    assert names == {
        "Künstliche Intelligenz und Vorausschauende Wartung",
        "Energie",
        "Fachkräfte",
    }
    assert ki_group.terms[0] == "KI"
    assert sorted(ki_group.members) == [0, 1, 2]


def test_empty_and_filler_topics_are_left_ungrouped():
    grouping = group_topics(["", "   ", "ich möchte gern", *KI], 1)

    assert grouping.ungrouped == (0, 1, 2)
    assert grouping.primary[:3] == (None, None, None)
    assert grouping.primary[3:] == (0, 0, 0)


def test_only_empty_topics_give_no_groups():
    grouping = group_topics(["", " "], 3)

    assert grouping.groups == ()
    assert grouping.primary == (None, None)


def test_no_topics_at_all_give_no_groups():
    grouping = group_topics([])

    assert (grouping.k, grouping.groups, grouping.primary) == (0, (), ())


def test_duplicates_land_together_and_k_is_capped_at_the_distinct_topics():
    texts = ["KI in der Wartung"] * 3 + ["Energiepreise"] * 2

    grouping = group_topics(texts, 10)

    assert grouping.k == 2
    assert together(grouping, [0, 1, 2])
    assert together(grouping, [3, 4])


def test_k_larger_than_the_number_of_topics_gives_one_group_per_topic():
    grouping = group_topics(KI, 50)

    assert grouping.k == 3
    assert sorted(len(group.members) for group in grouping.groups) == [1, 1, 1]


def test_a_very_long_topic_is_cut_and_still_grouped():
    long_topic = "Energiepreise und Stromkosten. " * 5000

    space = TopicSpace([long_topic, *ENERGY, *KI])
    grouping = space.describe(space.cluster(2))

    assert sum(space.analyses[0].stems.values()) <= MAX_CHARS
    assert together(grouping, [0, 1, 2, 3])


def test_a_topic_with_two_themes_touches_a_second_group():
    texts = [*KI, *ENERGY, "KI für die Wartung und niedrigere Energiepreise"]

    grouping = group_topics(texts, 2)

    primary, secondary = grouping.primary[-1], grouping.secondary[-1]
    assert {primary, secondary} == {grouping.primary[0], grouping.primary[3]}
    assert 6 in grouping.group(secondary).touching


def test_a_single_theme_topic_touches_no_second_group():
    grouping = group_topics(THREE_THEMES, 3)

    assert grouping.secondary[3] is None


def test_edited_labels_are_described_as_given():
    space = TopicSpace(THREE_THEMES)
    labels = [0, 0, 0, 1, 1, 1, 1, 1, 1]  # energy and skills merged by hand

    grouping = space.describe(labels)

    assert [len(group.members) for group in grouping.groups] == [6, 3]
    assert grouping.groups[0].label == 1
    assert grouping.primary == tuple(labels)


def test_a_new_topic_joins_the_most_similar_existing_group():
    space = TopicSpace([*THREE_THEMES, "Praktikum für Schüler"])
    labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, None]

    assert space.nearest(labels, [9]) == {9: 2}


def test_suggest_k_stays_within_its_range():
    space = TopicSpace(THREE_THEMES)

    assert 2 <= space.suggest_k() <= 4
    assert TopicSpace(KI[:2]).suggest_k() == 2
    assert TopicSpace(["KI"]).suggest_k() == 1


def test_german_spelling_variants_compare_equal():
    assert fold("Wärme") == fold("Waerme") == fold("warme") == "warme"
    assert fold("Straße") == "strasse"


def test_compounds_split_into_known_words():
    analyser = Analyser(load_lexicon())

    assert analyser.split("fachkräftesicherung") == ("fachkräfte", "sicherung")
    assert analyser.split("ausbildungsmesse") == ("ausbildung", "messe")
    assert analyser.split("glasschmelzwanne") == ()


def test_a_typo_still_finds_the_lexicon_theme():
    space = TopicSpace(["Digitalisirung im Handwerk", "Waermeplannung"])

    assert [set(a.direct) for a in space.analyses] == [{"digitalisierung"}, {"waerme"}]


def test_the_lexicon_file_loads_and_names_its_concepts():
    lexicon = load_lexicon()

    assert lexicon.concepts["ki"].name == "Künstliche Intelligenz"
    assert lexicon.broader_of("waerme") == {"energie": 0.5, "nachhaltigkeit": 0.25}


def test_a_lexicon_with_an_unknown_broader_concept_is_refused(tmp_path):
    path = tmp_path / "lexicon.json"
    data = {
        "concepts": {"a": {"name": "A", "terms": ["a"], "broader": ["missing"]}},
        "compound_parts": [],
        "stopwords": [],
    }
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match="unknown broader"):
        load_lexicon(path)


def test_the_engine_imports_no_django():
    code = "import sys, treffpunkt.matching.topics; print('django' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.stdout.strip() == "False"


def test_the_command_line_prints_the_groups(tmp_path, capsys):
    path = tmp_path / "topics.json"
    path.write_text(json.dumps(THREE_THEMES), encoding="utf-8")

    assert topics.main([str(path), "-k", "3"]) == 0

    out = capsys.readouterr().out
    assert out.count("## ") == 3
    assert "  - KI in der Wartung\n" in out
