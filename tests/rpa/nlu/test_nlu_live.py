"""Against the real thing: the triage model trained once, one Rasa server for the session."""

import csv
import json

import pytest
from typer.testing import CliRunner

from rpa.nlu import RasaHttp, RasaServer, ServerError, free_port, open_project, train
from rpa.nlu.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["enquiry", "dept"])
        writer.writerows(rows)
    return path


def test_train_skips_a_current_model(triage_model):
    again = train(open_project("triage"))
    assert again.skipped
    assert again.model == triage_model.model


def test_server_parse_finds_department_district_and_date(triage_server):
    parsed = RasaHttp(triage_server.url).parse("沙田琴日有條水管爆咗，水浸到成條街")
    assert parsed["intent"]["name"] == "water_supplies"
    entities = {e["entity"]: e["value"] for e in parsed["entities"]}
    assert entities == {"district": "沙田", "date": "琴日"}


def test_server_parse_reads_english_entities(triage_server):
    parsed = RasaHttp(triage_server.url).parse(
        "The street lights in Tai Po have been broken since last Monday")
    entities = {e["entity"]: e["value"] for e in parsed["entities"]}
    assert entities == {"district": "Tai Po", "date": "last Monday"}


def test_server_refuses_a_busy_port(triage_server, tmp_path):
    second = RasaServer(triage_server.model, triage_server.port, log=tmp_path / "log")
    with pytest.raises(ServerError, match="already in use"):
        second.start()


def test_cli_train_says_the_model_is_current(triage_model):
    result = runner.invoke(app, ["train", "triage"])
    assert result.exit_code == 0, result.output
    assert "current" in result.output


def test_cli_test_prints_accuracy_on_held_out_examples(triage_model):
    result = runner.invoke(app, ["test", "triage"])
    assert result.exit_code == 0, result.output
    assert "accuracy" in result.output and "held-out" in result.output


def test_cli_eval_handles_thousands_of_rows_and_a_hundred_labels(triage_server, tmp_path,
                                                                  triage_examples):
    # 3,000 rows (BANKING77's test set is 3,080) over the project's ~870 texts: a parse embeds
    # a text it has not seen (30-45 ms of CPU), and the embedder's cache serves the repeats,
    # so the rows and labels are many while the server embeds each text once
    pairs = triage_examples()  # 13 intents x 8 variants = 104 labels
    rows = [(pairs[i % len(pairs)][0], f"{pairs[i % len(pairs)][1]}-{i % 8}")
            for i in range(3_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    result = runner.invoke(app, ["eval", "--model", str(triage_server.model), "--csv", str(path),
                                 "--text-col", "enquiry", "--label-col", "dept", "--json",
                                 "--url", triage_server.url, "--workers", "4"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["n"] == 3_000
    assert figures["labels"] >= 100
    assert figures["p50_ms"] > 0 and figures["p95_ms"] >= figures["p50_ms"]


def test_cli_trains_from_csv_and_evaluates_the_new_model(tmp_path, triage_examples):
    wanted = {"water_supplies", "immigration", "leisure_cultural", "inland_revenue"}
    train_rows = [p for p in triage_examples() if p[1] in wanted]
    test_rows = [p for p in triage_examples("tests") if p[1] in wanted]
    train_csv = write_csv(tmp_path / "train.csv", train_rows)
    test_csv = write_csv(tmp_path / "test.csv", test_rows)
    out = tmp_path / "model"
    trained = runner.invoke(app, ["train", "triage", "--from-csv", str(train_csv), "--text-col",
                                  "enquiry", "--label-col", "dept", "--out", str(out),
                                  "--epochs", "30"])
    assert trained.exit_code == 0, trained.output
    assert "4 labels" in trained.output
    scored = runner.invoke(app, ["eval", "--model", str(out), "--csv", str(test_csv),
                                 "--text-col", "enquiry", "--label-col", "dept", "--json"])
    assert scored.exit_code == 0, scored.output
    figures = json.loads(scored.output)
    assert figures["n"] == len(test_rows)
    assert figures["accuracy"] >= 0.75


def test_cli_serve_returns_when_ready_and_stop_ends_it(triage_model):
    port = free_port()
    started = runner.invoke(app, ["serve", "triage", "--port", str(port)])
    try:
        assert started.exit_code == 0, started.output
        assert f"ready http://127.0.0.1:{port}" in started.output
        assert RasaHttp(f"http://127.0.0.1:{port}").status()["model_file"]
    finally:
        stopped = runner.invoke(app, ["stop", "triage", "--port", str(port)])
    assert f"stopped: http://127.0.0.1:{port}" in stopped.output
    with pytest.raises(ServerError):
        RasaHttp(f"http://127.0.0.1:{port}", timeout=2).status()
