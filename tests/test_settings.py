"""The settings: SQLite by default, PostgreSQL by URL, and clear words for bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from treffpunkt import settings as treffpunkt_settings
from treffpunkt.settings import database_from_url, envbool, secret_key


def test_without_database_url_it_is_a_sqlite_file_in_the_data_dir(tmp_path):
    config = database_from_url("", tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "treffpunkt.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_postgres_url_gives_postgresql(tmp_path):
    config = database_from_url("postgres://treff:geheim@db.example:5433/netz", tmp_path)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("netz", "treff", "geheim")
    assert (config["HOST"], config["PORT"]) == ("db.example", 5433)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "DATABASE_URL is not a database URL"),
        ("mysql://root@localhost/x", "unsupported database"),
        ("postgres://localhost", "names no database"),
        ("sqlite://", "names no SQLite file"),
    ],
)
def test_a_malformed_database_url_says_what_to_write(tmp_path, url, says):
    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url(url, tmp_path)

    assert says in str(error.value)
    assert "postgres://USER:PASSWORD@HOST:PORT/NAME" in str(error.value)


def test_debug_is_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert envbool("DEBUG", False) is False
    monkeypatch.setenv("DEBUG", "true")
    assert envbool("DEBUG", False) is True
    monkeypatch.setenv("DEBUG", "ja bitte")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be 'true' or 'false'"):
        envbool("DEBUG", False)


def test_the_running_settings_have_debug_off():
    assert treffpunkt_settings.DEBUG is (os.environ.get("DEBUG", "").lower() == "true")


def test_a_secret_key_is_generated_once_into_a_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first = secret_key(tmp_path)
    second = secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_environment_secret_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")

    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def run_cli(*args, **env):
    command = [str(Path(sys.executable).with_name("treffpunkt")), *args]
    environment = {**os.environ, **env}
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)


def test_the_console_command_rejects_a_malformed_database_url_in_one_line(tmp_path):
    result = run_cli("check", DATABASE_URL="oracle://x/y", TREFFPUNKT_DATA_DIR=str(tmp_path))

    assert result.returncode == 2
    assert result.stderr.startswith("treffpunkt: configuration error: DATABASE_URL uses an")
    assert "Traceback" not in result.stderr


def test_the_console_command_runs_django_commands(tmp_path):
    result = run_cli("check", DATABASE_URL="", TREFFPUNKT_DATA_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("command", ["load_demo", "privacy_record"])
def test_commands_on_a_database_not_set_up_say_what_to_run(tmp_path, command):
    result = run_cli(command, DATABASE_URL="", TREFFPUNKT_DATA_DIR=str(tmp_path))

    assert result.returncode == 1
    assert "run `treffpunkt migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_deployment_over_https_passes_the_security_checks(tmp_path):
    result = run_cli(
        "check",
        "--deploy",
        DATABASE_URL="",
        TREFFPUNKT_DATA_DIR=str(tmp_path),
        DEBUG="false",
        SECRET_KEY="k" * 20 + "".join(chr(65 + i % 26) + str(i) for i in range(40)),
        ALLOWED_HOSTS="treffpunkt.example",
        SECURE_SSL_REDIRECT="true",
        SECURE_COOKIES="true",
        SECURE_HSTS_SECONDS="31536000",
        BEHIND_TLS_PROXY="true",
    )

    # What is left is the network's own choice: HSTS for subdomains and the preload list.
    reported = {line.split(")")[0] for line in result.stderr.splitlines() if "(security." in line}
    assert reported == {"?: (security.W005", "?: (security.W021"}, result.stderr


def test_a_malformed_hsts_duration_says_what_to_write(tmp_path):
    result = run_cli("check", TREFFPUNKT_DATA_DIR=str(tmp_path), SECURE_HSTS_SECONDS="ein Jahr")

    assert result.returncode == 2
    assert "SECURE_HSTS_SECONDS must be a whole number, not 'ein Jahr'." in result.stderr


def test_a_data_folder_that_cannot_be_written_says_what_to_do(tmp_path):
    blocked = tmp_path / "datei"
    blocked.write_text("kein Ordner")

    result = run_cli("check", TREFFPUNKT_DATA_DIR=str(blocked / "var"), SECRET_KEY="")

    assert result.returncode == 2
    assert "cannot hold the secret key" in result.stderr
    assert "choose a folder this user may write, or set SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
