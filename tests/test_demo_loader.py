"""The demo loader: what it says, and bad data files named before anything is written."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from treffpunkt.demo import DATA_FILE


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("network", "meetings", "auth")
    }


@pytest.mark.django_db
def test_the_command_says_what_it_loaded(capsys):
    call_command("load_demo")
    call_command("load_demo")

    first, _logins, second, _ = capsys.readouterr().out.splitlines()
    assert first.startswith("Demo network loaded: 5 consent texts, 50 organisations, 91 people")
    assert second == "Demo network loaded: nothing new."


def test_a_broken_data_file_is_named_and_nothing_is_written(db, tmp_path):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["people"][5]["organisation"] = "Gibt es nicht GmbH"
    data["past_meeting"]["registrations"][0]["status"] = "vielleicht"
    broken = tmp_path / "demo.json"
    broken.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_demo", "--file", str(broken))

    assert "unknown organisation 'Gibt es nicht GmbH'" in str(error.value)
    assert "unknown registration status 'vielleicht'" in str(error.value)
    assert row_counts()["network.Organisation"] == 0


def test_a_data_file_that_is_not_json_is_named(db, tmp_path):
    broken = tmp_path / "demo.json"
    broken.write_text("{ nicht json", encoding="utf-8")

    with pytest.raises(CommandError, match="cannot read the demo data"):
        call_command("load_demo", "--file", str(broken))


@pytest.mark.parametrize(
    ("break_it", "says"),
    [
        (lambda d: d["past_meeting"]["stations"][0].update(capacity=0), "does not fit"),
        (lambda d: d["past_meeting"]["stations"][0].update(capacity="zwanzig"), "does not fit"),
        (lambda d: d["past_meeting"]["stations"][0]["notes"][0].pop("text"), "lacks the field"),
    ],
)
def test_data_the_checks_do_not_foresee_still_writes_nothing(db, tmp_path, break_it, says):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    break_it(data)
    broken = tmp_path / "demo.json"
    broken.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match=says):
        call_command("load_demo", "--file", str(broken))

    assert row_counts()["network.Organisation"] == 0
