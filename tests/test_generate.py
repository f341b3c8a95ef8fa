"""`jixiao generate`: sheets that read back to the master list, equal bytes, nothing half-written."""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from generator import generate as gen
from generator import pool
from generator.errors import InputError
from generator.generate import CONTENTS, generate, register
from generator.masterlist import MasterListError, read_master
from generator.template import read_workbook, template_for
from generator.template import access
from test_masterlist import SAMPLE, project_row, write_list

LEVELS = ("level1", "level2", "name", "target")


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "out"
    generate(SAMPLE, out)
    return out


def expected_forms():
    """The master list's forms as generation fills them (presets for those without indicators)."""
    ml = read_master(SAMPLE)
    gen.apply_presets(ml.forms, ml.year)
    return {f.project.name: f for f in ml.forms}


def carried_paths(form_id: str) -> list[str]:
    spec = template_for(form_id)
    return sorted({p for f in spec.fields for p in f.paths if p})


def test_every_sheet_reads_back_to_the_master_list(sample_out):
    expected = expected_forms()
    seen = set()
    for path in sorted(sample_out.glob("*.xlsx")):
        result = read_workbook(path)
        assert not [f for f in result.findings if f.severity == "错误"], path
        for form in result.book.forms:
            want = expected[form.project.name]
            for field in carried_paths(want.form):
                assert access.get(form, field) == access.get(want, field), (path.name, form.project.name, field)
            got = [tuple(getattr(i, k) for k in LEVELS) for i in form.indicators]
            assert got == [tuple(getattr(i, k) for k in LEVELS) for i in want.indicators], form.project.name
            seen.add(form.project.name)
    assert seen == set(expected)


def test_one_workbook_per_unit_with_contents_first(sample_out):
    ml = read_master(SAMPLE)
    units = list(dict.fromkeys(f.project.unit for f in ml.forms))
    files = sorted(p.name for p in sample_out.glob("*.xlsx"))
    assert files == sorted(f"2023年度_{u}.xlsx" for u in units)
    wb = openpyxl.load_workbook(sample_out / "2023年度_闵行区教育信息中心.xlsx")
    assert wb.sheetnames[0] == CONTENTS and wb.active.title == CONTENTS
    toc = wb[CONTENTS]
    links = [(toc.cell(r, 3).value, toc.cell(r, 3).hyperlink.location) for r in range(3, toc.max_row + 1)]
    assert [name for name, _ in links] == [f.project.name for f in ml.forms if f.project.unit == "闵行区教育信息中心"]
    for name, location in links:
        sheet = location.rsplit("!", 1)[0].strip("'").replace("''", "'")
        assert sheet in wb.sheetnames and len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\")
    assert "校园网络_信息系统等级保护测评" in wb.sheetnames
    assert toc.cell(3, 7).value.startswith("预设：")


def test_same_input_same_bytes(tmp_path, sample_out):
    time.sleep(1.1)          # a zip entry time taken from the clock would now differ
    generate(SAMPLE, tmp_path / "again")
    for path in sample_out.glob("*.xlsx"):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_by_project_legal_unique_file_names(tmp_path):
    rows = [project_row("P1", "校园网络/信息系统:等级保护*测评"), project_row("P2", "校园网络/信息系统:等级保护*测评")]
    planned = generate(write_list(tmp_path / "l.xlsx", rows), tmp_path / "out", by="project")
    names = [p.name for p in planned]
    assert names == ["2023年度_P1_校园网络_信息系统_等级保护_测评.xlsx", "2023年度_P2_校园网络_信息系统_等级保护_测评.xlsx"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)


def test_refused_list_writes_nothing(tmp_path):
    path = write_list(tmp_path / "l.xlsx", [project_row("P1"), project_row("P1", 项目资金总额="待定")])
    with pytest.raises(MasterListError):
        generate(path, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.xlsx"]


def test_failure_part_way_leaves_nothing(tmp_path, monkeypatch):
    real, calls = gen.render_planned, []

    def failing(item, templates_dir=None):
        calls.append(item.name)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(item, templates_dir)

    monkeypatch.setattr(gen, "render_planned", failing)
    (tmp_path / "out").mkdir()
    with pytest.raises(RuntimeError):
        generate(SAMPLE, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_existing_files_kept_unless_force(tmp_path, sample_out):
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    victim = out / "2023年度_闵行区华漕小学.xlsx"
    victim.write_bytes(b"clerk's edits")
    with pytest.raises(InputError) as err:
        generate(SAMPLE, out)
    assert "2023年度_闵行区华漕小学.xlsx" in str(err.value) and "--force" in str(err.value)
    assert victim.read_bytes() == b"clerk's edits"
    generate(SAMPLE, out, force=True)
    assert victim.read_bytes() == (sample_out / victim.name).read_bytes()


def test_command_registers_and_runs(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["generate", str(SAMPLE), "--out", str(tmp_path / "o"), "--by", "project"])
    assert args.func(args) == 0
    assert len(list((tmp_path / "o").glob("*.xlsx"))) == len(read_master(SAMPLE).forms)
    assert "使用指标预设" in capsys.readouterr().err


def test_many_files_in_a_process_pool_are_the_same_bytes_as_one_by_one(tmp_path, monkeypatch):
    rows = [project_row(f"P{n}", f"项目{n}", 实施单位=f"第{n}学校") for n in range(25)]   # above POOL_ABOVE
    master = write_list(tmp_path / "l.xlsx", rows)
    pooled = generate(master, tmp_path / "pool")
    monkeypatch.setattr(pool, "POOL_ABOVE", 10 ** 6)
    generate(master, tmp_path / "one")
    assert len(pooled) == 25
    for p in pooled:
        assert (tmp_path / "pool" / p.name).read_bytes() == (tmp_path / "one" / p.name).read_bytes(), p.name


def test_a_file_that_cannot_be_replaced_leaves_every_old_file(tmp_path, sample_out, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(sample_out, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, calls = gen.os.replace, []

    def busy(src, dst):                     # the fifth file is open in Excel
        calls.append(dst)
        if len(calls) == 9:
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(gen.os, "replace", busy)
    with pytest.raises(InputError, match="已恢复原有文件"):
        generate(SAMPLE, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_in_the_way_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    planned = generate(SAMPLE, out)
    (out / planned[0].name).unlink()
    (out / planned[0].name).mkdir()
    with pytest.raises(InputError, match="已被文件夹占用"):
        generate(SAMPLE, out, force=True)


def test_the_temporary_folder_is_inside_an_existing_output_folder(tmp_path, monkeypatch):
    """A mount point (a USB stick) can't take a rename from another disk."""
    made = []
    real = gen.tempfile.mkdtemp
    monkeypatch.setattr(gen.tempfile, "mkdtemp", lambda **kw: made.append(kw["dir"]) or real(**kw))
    (tmp_path / "out").mkdir()
    generate(SAMPLE, tmp_path / "out")
    assert made == [(tmp_path / "out").resolve()]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".jixiao-")]


def test_long_chinese_names_fit_a_linux_file_name(tmp_path):
    planned = generate(write_list(tmp_path / "l.xlsx", [project_row("P1", 实施单位="学" * 200)]), tmp_path / "out")
    assert len(planned[0].name.encode("utf-8")) <= 255 and (tmp_path / "out" / planned[0].name).is_file()
