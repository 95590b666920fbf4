"""The `roundtable` command: Django's commands plus demo, worker, periodic, mail, audit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from roundtable.people.models import Person
from roundtable.processes.models import Membership, Process, Role
from roundtable.processes.selectors import process_balance

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_logins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "chair@example.org" in out and "roundtable-demo" in out
    counts = (Person.objects.count(), Membership.objects.count(), Process.objects.count())
    call_command("demo")
    assert (Person.objects.count(), Membership.objects.count(), Process.objects.count()) == counts
    process = Process.objects.get(slug="wgis")
    members = Membership.objects.filter(process=process, role=Role.MEMBER)
    assert 35 <= members.count() <= 45
    assert {m.stakeholder_group.slug for m in members} == {
        "government", "private-sector", "civil-society", "academia", "technical-community", "intergovernmental",
    }  # fmt: skip
    assert len({m.region.slug for m in members}) == 5
    assert Membership.objects.filter(process=process, role=Role.OBSERVER).count() >= 3
    balance = process_balance(process=process)
    assert any("Government share" in gap for gap in balance.gaps)
    assert "No Technical community member from African States" in balance.missing


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_queued_tasks(mailbox):
    from roundtable.core.mail import mail_queue

    mail_queue(to="ada@example.net", subject="Via the worker", text="x")
    call_command("worker", batch=True, verbosity=0)
    assert [str(m["Subject"]) for m in mailbox.messages] == ["Via the worker"]


@pytest.mark.django_db
def test_periodic_lists_and_runs_jobs(capsys):
    call_command("periodic", list=True, force=False, only=None)
    assert "core.mail_flush" in capsys.readouterr().out
    call_command("periodic", list=False, force=True, only=["core.mail_flush"])
    assert "core.mail_flush" in capsys.readouterr().out
    # Every app's jobs are due on their first run; once all have run, none is due.
    call_command("periodic", list=False, force=True, only=None)
    capsys.readouterr()
    call_command("periodic", list=False, force=False, only=None)
    assert "nothing due" in capsys.readouterr().out


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "roundtable", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        ROUNDTABLE_PRODUCTION="1",
        ROUNDTABLE_SECRET_KEY="x" * 30 + "a-long-random-production-secret-key-value",
        ROUNDTABLE_ALLOWED_HOSTS="roundtable.example.org",
        ROUNDTABLE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_settings_do_warn_in_the_deployment_check(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"], ROUNDTABLE_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0


def test_secret_key_is_generated_once_into_var(tmp_path):
    env = {"ROUNDTABLE_VAR_DIR": str(tmp_path), "ROUNDTABLE_SECRET_KEY": ""}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "roundtable.settings",
        **env,
    }
    del environment["ROUNDTABLE_SECRET_KEY"]
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_roundtable_command_wraps_manage_py(tmp_path):
    result = _run(["help"], ROUNDTABLE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0
    for verb in ("demo", "serve", "worker", "audit", "migrate", "periodic"):
        assert verb in result.stdout
