import csv

import pytest
import yaml

from rpa.nlu import csvdata
from rpa.nlu.errors import DataError


@pytest.mark.parametrize(("label", "intent"), [
    ("transport", "transport"),
    ("Water Supplies / burst main", "Water_Supplies_burst_main"),
    ("  card arrival ", "card_arrival"),
    ("食環署", "食環署"),
])
def test_intent_name_is_safe_for_rasa(label, intent):
    assert csvdata.intent_name(label) == intent


@pytest.mark.parametrize(("text", "cleaned"), [
    ("  two\n lines\t here ", "two lines here"),
    ("see [link](http://x)", "see [link] (http://x)"),
    ("bell\x07 char", "bell char"),
    ("漏水\r\n好嚴重", "漏水 好嚴重"),
])
def test_clean_text_makes_one_safe_line(text, cleaned):
    assert csvdata.clean_text(text) == cleaned


def test_examples_from_drops_blank_and_repeated_rows():
    rows = [("Burst pipe", "water"), ("", "water"), ("burst PIPE", "roads"), ("x", " ")]
    kept, blank, duplicate = csvdata.examples_from(iter(rows))
    assert kept == [csvdata.Example("Burst pipe", "water")]
    assert (blank, duplicate) == (2, 1)


def test_read_rows_names_missing_columns(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("body,dept\nhello,a\n")
    with pytest.raises(DataError, match="no column 'text'.*'body', 'dept'"):
        list(csvdata.read_rows(path, "text", "dept"))


def test_write_project_handles_ten_thousand_rows_and_a_hundred_labels(tmp_path, big_csv):
    base = tmp_path / "base.yml"
    base.write_text("language: en\npipeline:\n- name: DIETClassifier\n  epochs: 70\n")
    done = csvdata.write_project(big_csv, "text", "label", tmp_path / "out", base, epochs=5)
    assert (done.examples, done.labels) == (10_000, 100)
    data = yaml.safe_load((tmp_path / "out" / "data" / "nlu.yml").read_text())
    assert len(data["nlu"]) == 100
    assert sum(len(item["examples"].splitlines()) for item in data["nlu"]) == 10_000
    config = yaml.safe_load((tmp_path / "out" / "config.yml").read_text())
    assert config["pipeline"][0]["epochs"] == 5


def test_write_project_refuses_a_single_label(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("text,label\na,x\nb,x\n")
    with pytest.raises(DataError, match="at least 2 labels"):
        csvdata.write_project(path, "text", "label", tmp_path / "o", tmp_path / "none.yml")


@pytest.fixture
def big_csv(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(10_000):
            writer.writerow([f"enquiry number {i} about topic {i % 100}", f"topic {i % 100}"])
    return path
