import pytest

import rpa.nlu as nlu
from rpa.nlu.errors import ProjectError
from rpa.nlu.project import open_project


def make_project(root, domain=False):
    (root / "data").mkdir(parents=True)
    (root / "config.yml").write_text("language: en\n")
    (root / "data" / "nlu.yml").write_text("nlu: []\n")
    if domain:
        (root / "domain.yml").write_text("intents: []\n")
    return open_project(root)


def test_open_project_finds_triage_by_name():
    project = open_project("triage")
    assert project.root == nlu.nlu_home() / "triage"
    assert project.is_nlu_only


def test_open_project_names_the_missing_project(tmp_path):
    with pytest.raises(ProjectError, match="no Rasa project 'nope'"):
        open_project("nope", home=tmp_path)


def test_open_project_requires_config(tmp_path):
    (tmp_path / "p" / "data").mkdir(parents=True)
    with pytest.raises(ProjectError, match="no config.yml"):
        open_project(tmp_path / "p")


def test_project_with_domain_trains_in_full(tmp_path):
    assert not make_project(tmp_path / "p", domain=True).is_nlu_only


def test_data_hash_changes_with_any_training_file(tmp_path):
    project = make_project(tmp_path / "p")
    before = project.data_hash()
    assert project.data_hash() == before
    (project.data / "more.yml").write_text("nlu: [x]\n")
    assert project.data_hash() != before


def test_data_hash_ignores_models_and_run_files(tmp_path):
    project = make_project(tmp_path / "p")
    before = project.data_hash()
    project.models.mkdir()
    (project.models / "p-0.tar.gz").write_bytes(b"model")
    project.state.mkdir()
    (project.state / "train.log").write_text("log")
    assert project.data_hash() == before


def test_model_path_is_named_after_the_hash(tmp_path):
    project = make_project(tmp_path / "p")
    assert project.model_path().name == f"p-{project.data_hash()}.tar.gz"
    assert not nlu.is_current(project)


def test_nlu_package_exports_a_sorted_all():
    assert nlu.__all__ == sorted(nlu.__all__)
    assert all(hasattr(nlu, name) for name in nlu.__all__)
