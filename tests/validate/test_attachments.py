"""公告原件 (issue 17): hash-checked in validation, linked and hashed on the page, in the zip."""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitkit import GitRepo
from pdfkit import tiny_pdf

from generator.domain.models import Attachment
from generator.history.guard import guard_problems
from generator.publish.pipeline import check_registry
from generator.validate.attachments import verified_content

AS_OF = date(2026, 11, 23)
PDF = tiny_pdf(["SAMPLE DATA - TEST FILE"])
SHA = hashlib.sha256(PDF).hexdigest()


def _announcement(kit: SimpleNamespace, file: str = "ANN-2026-002.pdf", sha: str = SHA) -> str:
    return kit.BASE["announcements/ANN-2026-002.yaml"] + (
        f"attachments:\n  - file: {file}\n    title: 公告原文\n    size: {len(PDF)}\n    sha256: {sha}\n"
    )


def _check(root: Path) -> list[tuple[str, int, str, str]]:
    reg = check_registry(root, AS_OF)
    return [(Path(p.file).name, p.line, p.code, p.path) for p in reg.problems]


def _registry(kit: SimpleNamespace, tmp_path: Path, **files: str | bytes) -> Path:
    overlay = {"announcements/ANN-2026-002.yaml": _announcement(kit)}
    overlay |= {"attachments/ANN-2026-002.pdf": PDF}
    overlay |= {k.replace("__", "/"): v for k, v in files.items()}
    return kit.make_registry(tmp_path / "data", overlay)


def test_a_registered_original_validates(kit: SimpleNamespace, tmp_path: Path) -> None:
    assert _check(_registry(kit, tmp_path)) == []


def test_a_wrong_hash_is_an_error_naming_file_line_and_field(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    wrong = "a" * 64
    root = _registry(kit, tmp_path)
    (root / "announcements/ANN-2026-002.yaml").write_text(_announcement(kit, sha=wrong), "utf-8")
    reg = check_registry(root, AS_OF)
    (p,) = reg.problems
    assert (p.code, p.line, p.path) == ("E320", 16, "attachments[0].sha256")
    assert "ANN-2026-002.pdf" in p.message and SHA in p.message and wrong in p.message
    assert "sha256sum" in p.message  # what to do


def test_a_changed_file_is_an_error(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = _registry(kit, tmp_path)
    (root / "attachments/ANN-2026-002.pdf").write_bytes(PDF.replace(b"TEST", b"BEST"))
    assert [c for _, _, c, _ in _check(root)] == ["E320"]  # same size, another hash


def test_links_hidden_files_folders_and_strays(kit: SimpleNamespace, tmp_path: Path) -> None:
    root = _registry(kit, tmp_path, attachments__stray_pdf=PDF)
    os.rename(root / "attachments/stray_pdf", root / "attachments/stray.pdf")
    (root / "attachments/.hidden.pdf").write_bytes(PDF)
    (root / "attachments/folder").mkdir()
    target = root / "attachments/ANN-2026-002.pdf"
    target.rename(root / "real.pdf")
    target.symlink_to(root / "real.pdf")  # never followed: E113, and no E319 on top
    codes = sorted((name, code) for name, _, code, _ in _check(root))
    assert ("ANN-2026-002.pdf", "E113") in codes
    assert (".hidden.pdf", "E112") in codes
    assert ("folder", "E311") in codes and ("stray.pdf", "E311") in codes
    assert ("real.pdf", "E311") in codes  # data/ holds no unknown files either
    assert not any(code == "E319" for _, code in codes)


def test_oversized_or_mislabelled_files_are_refused(kit: SimpleNamespace, tmp_path: Path) -> None:
    text = _announcement(kit, file="notice.ofd")
    root = _registry(kit, tmp_path, attachments__notice_ofd=PDF)
    os.rename(root / "attachments/notice_ofd", root / "attachments/notice.ofd")
    (root / "announcements/ANN-2026-002.yaml").write_text(text, "utf-8")
    (root / "attachments/ANN-2026-002.pdf").unlink()
    assert [(c, path) for _, _, c, path in _check(root)] == [("E321", "attachments[0].file")]


def test_the_build_refuses_a_file_changed_after_validation(tmp_path: Path) -> None:
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments/a.pdf").write_bytes(PDF)
    att = Attachment(file="a.pdf", size=len(PDF), sha256=SHA)
    assert verified_content(tmp_path, att) == PDF
    (tmp_path / "attachments/a.pdf").write_bytes(PDF + b"%")
    with pytest.raises(ValueError, match="校验后被改动"):
        verified_content(tmp_path, att)
    with pytest.raises(ValueError):
        verified_content(tmp_path, Attachment(file="../a.pdf", size=1, sha256=SHA))


def test_attaching_the_original_later_is_no_change_of_a_published_announcement(
    tmp_path: Path, kit: SimpleNamespace
) -> None:
    repo = GitRepo(tmp_path / "repo")
    for rel, text in kit.BASE.items():
        repo.write(rel, text)
    repo.commit("初始数据", "2026-03-05T10:00:00+08:00")
    repo.write("announcements/ANN-2026-002.yaml", _announcement(kit))
    (repo.data / "attachments").mkdir()
    (repo.data / "attachments/ANN-2026-002.pdf").write_bytes(PDF)
    assert guard_problems(repo.data, "main", AS_OF) == []  # appending is allowed
    repo.commit("附上公告原件", "2026-03-06T10:00:00+08:00")
    repo.write("announcements/ANN-2026-002.yaml", _announcement(kit, sha="b" * 64))
    problems = guard_problems(repo.data, "main", AS_OF)
    assert [(p.code, p.path) for p in problems] == [("E503", "attachments[0].sha256")]


def test_the_page_links_and_hashes_the_original(sample_site: Path) -> None:
    pdf = (sample_site / "announcements/ANN-2026-004/ANN-2026-004.pdf").read_bytes()
    assert pdf == (Path(__file__).parents[2] / "data/attachments/ANN-2026-004.pdf").read_bytes()
    digest = hashlib.sha256(pdf).hexdigest()
    html = (sample_site / "announcements/ANN-2026-004/index.html").read_text(encoding="utf-8")
    assert (
        'href="ANN-2026-004.pdf"' in html
        or 'href="../../announcements/ANN-2026-004/ANN-2026-004.pdf"' in html
    )
    assert digest in html and "公告原件" in html and "示例文件" in html
    anns = json.loads((sample_site / "api/announcements.json").read_text(encoding="utf-8"))
    (ann,) = [a for a in anns["announcements"] if a["id"] == "ANN-2026-004"]
    assert ann["attachments"] == [
        {
            "file": "ANN-2026-004.pdf",
            "title": "公告原文（示例文件，不是真实公告）",
            "size": len(pdf),
            "sha256": digest,
            "url": "/announcements/ANN-2026-004/ANN-2026-004.pdf",
        }
    ]


def test_the_zip_holds_the_original_and_still_validates(sample_site: Path, tmp_path: Path) -> None:
    (path,) = (sample_site / "downloads").glob("registry-*.zip")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        prefix = archive.namelist()[0].split("/")[0] + "/"
        names = archive.namelist()
        assert prefix + "data/attachments/ANN-2026-004.pdf" in names
        sums = archive.read(prefix + "SHA256SUMS").decode()
        assert "data/attachments/ANN-2026-004.pdf" in sums and "LICENSE.txt" in sums
        archive.extractall(tmp_path)
    reg = check_registry(tmp_path / prefix / "data", AS_OF)
    assert reg.problems == []


def test_an_embargoed_announcement_publishes_no_original(
    kit: SimpleNamespace, tmp_path: Path
) -> None:
    from sitekit import build_sample

    later = kit.BASE["announcements/ANN-2026-002.yaml"].replace("ANN-2026-002", "ANN-2026-003")
    later = later.replace("2026年第2号", "2026年第3号").replace(
        "date: 2026-03-01", "date: 2026-12-30"
    )
    later = later.replace(
        "action: approve\n    record: BMT-2026-001\n    risk_grade: high\n    institutions: [某某医院]",
        "action: amend\n    record: GL-0001",
    )
    later += f"attachments:\n  - file: secret.pdf\n    size: {len(PDF)}\n    sha256: {SHA}\n"
    root = kit.make_registry(
        tmp_path / "data", {"announcements/ANN-2026-003.yaml": later, "attachments/secret.pdf": PDF}
    )
    assert check_registry(root, AS_OF).problems == []
    site = build_sample(tmp_path / "site", data=root, as_of=AS_OF)
    assert not list(site.rglob("secret.pdf"))
    (path,) = (site / "downloads").glob("registry-*.zip")
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "secret" in n or "ANN-2026-003" in n]
