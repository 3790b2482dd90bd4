"""One settings object (graph/settings.py): defaults, then KG_* variables, then options (issue 11)."""

from __future__ import annotations

import pytest

from graph.settings import Settings, current, load
from tests.test_cli import run


def test_defaults_then_environment_then_options(tmp_path):
    defaults = load({})
    assert defaults == Settings() and defaults.store == defaults.project_dir / "var" / "store"
    env = {"KG_PROJECT_DIR": str(tmp_path), "KG_BASE_IRI": "https://example.org/", "KG_BUILD_WORKERS": "3"}
    from_env = load(env)
    assert (from_env.project_dir, from_env.base_iri, from_env.build_workers) == (tmp_path, "https://example.org/", 3)
    assert from_env.store == tmp_path / "var" / "store" and from_env.shapes_dir == tmp_path / "shapes"
    with_options = load(env, base_iri="https://example.com/", store=tmp_path / "s", build_workers=None)
    assert (with_options.base_iri, with_options.store, with_options.build_workers) == (
        "https://example.com/", tmp_path / "s", 3)


@pytest.mark.parametrize(("raw", "expected"), [("0", False), ("off", False), ("No", False), ("1", True),
                                               ("true", True), ("", True)])
def test_the_sandbox_switch_reads_yes_and_no(raw, expected):
    """KG_SANDBOX (issue 10): workers leave the network unless it is turned off; empty keeps the default."""
    assert load({"KG_SANDBOX": raw}).sandbox is expected


def test_settings_are_frozen_and_built_once():
    assert current() is current()
    with pytest.raises(AttributeError):
        current().base_iri = "https://example.org/"  # type: ignore[misc]


@pytest.mark.parametrize(("env", "message"), [
    ({"KG_BUILD_WORKERS": "many"}, "KG_BUILD_WORKERS must be a whole number, not 'many'"),
    ({"KG_OWL_MAX_TRIPLES": "-1"}, "cannot be negative"),
    ({"KG_BUILD_SHACL": "fast"}, "KG_BUILD_SHACL must be 'shifty' or 'pyshacl', not 'fast'"),
    ({"KG_SANDBOX": "maybe"}, "KG_SANDBOX must be 1 or 0 .*, not 'maybe'"),
])
def test_broken_variables_are_named_in_the_error(env, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        load(env)


def test_a_broken_variable_stops_the_command_line_with_exit_2(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_BUILD_WORKERS", "many")
    result = run("validate", "--records", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert "KG_BUILD_WORKERS must be a whole number" in result.stderr and "Traceback" not in result.stderr


def test_the_project_folder_moves_the_data_folders(monkeypatch, tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "only_this.rq").write_text(
        (current().queries_dir / "speakers.rq").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("KG_PROJECT_DIR", str(tmp_path))
    result = run("query")
    assert result.returncode == 0, result.stderr
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == ["only_this"]
