from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bots.form_processing.cli import app

runner = CliRunner()


def test_cli_extract_json_prints_one_object_per_file(sample: Path) -> None:
    files = [str(sample / "licence_application-002-digital.pdf"),
             str(sample / "change_of_address-000-digital.pdf")]
    result = runner.invoke(app, ["extract", *files, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["form_type"] for d in data] == ["licence_application", "change_of_address"]
    field = data[0]["fields"][0]
    assert field["source"] == "text" and field["box_unit"] == "pt" and len(field["value_box"]) == 4


def test_cli_extract_generic_and_template_are_exclusive(sample: Path) -> None:
    result = runner.invoke(app, ["extract", str(sample / "x.pdf"), "--generic", "-t", "a"])
    assert result.exit_code == 2 and "not both" in result.output


def test_cli_extract_reports_rejected_file_in_one_line_and_goes_on(tmp_path: Path,
                                                                    sample: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    good = sample / "change_of_address-000-digital.pdf"
    result = runner.invoke(app, ["extract", str(bad), str(good), "--json"])
    assert result.exit_code == 1
    assert "rejected broken.pdf: corrupt PDF" in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.output
    assert len(json.loads(result.stdout)) == 1


def test_cli_extract_workers_keep_the_order_of_the_files_and_report_rejections(
        tmp_path: Path, sample: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    files = [str(sample / "licence_application-002-digital.pdf"), str(bad),
             str(sample / "change_of_address-000-digital.pdf")]
    result = runner.invoke(app, ["extract", *files, "--workers", "2", "--json"])
    assert result.exit_code == 1
    assert [d["form_type"] for d in json.loads(result.stdout)] == [
        "licence_application", "change_of_address"]
    assert "rejected broken.pdf: corrupt PDF" in result.stderr.replace("\n", " ")


def test_cli_extract_table_shows_status(sample: Path) -> None:
    result = runner.invoke(app, ["extract", str(sample / "licence_application-002-digital.pdf")])
    assert "invalid" in result.stdout and "accepted" in result.stdout


def test_cli_templates_lists_bilingual_titles() -> None:
    result = runner.invoke(app, ["templates"])
    assert result.exit_code == 0 and "健康申報表" in result.stdout
    data = json.loads(runner.invoke(app, ["templates", "--json"]).stdout)
    assert {d["form_type"] for d in data} >= {"licence_application", "health_declaration"}
