"""The preview's replay memo (status/derive.py `ReplayMemo`): an edit that leaves the replay's
input as it was reuses the last replay; any edit a replay reads replays again, and the result is
always the one a fresh check gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from generator.publish.pipeline import check_registry
from generator.status.derive import ReplayMemo
from generator.validate.cache import FileCache

AS_OF = date(2026, 11, 23)


class Session:
    """One registry checked again after each edit, as `registry serve` does."""

    def __init__(self, root: Path) -> None:
        self.root, self.files, self.replays = root, FileCache(), ReplayMemo()
        self.reg = check_registry(root, AS_OF, self.files, self.replays)

    def edit(self, rel: str, old: str, new: str) -> bool:
        """Edit a file and check again; True when the last replay was reused."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        before = self.reg.derived.replayed
        self.reg = check_registry(self.root, AS_OF, self.files, self.replays)
        fresh = check_registry(self.root, AS_OF)
        assert self.reg.problems == fresh.problems
        assert self.reg.replay.statuses == fresh.replay.statuses
        assert self.reg.derived.replayed.dated == fresh.derived.replayed.dated
        return self.reg.derived.replayed is before


def test_an_edit_of_a_records_texts_reuses_the_replay(kit: SimpleNamespace, tmp_path: Path) -> None:
    s = Session(kit.make_registry(tmp_path))
    assert s.edit("approved/BMT-2026-001.yaml", "技术解读。", "新的技术解读。")
    assert s.edit("approved/BMT-2026-001.yaml", "name: 自体CD19", "name: 改名自体CD19")
    assert s.edit("conditions/BMT-2026-001.yaml", "三级甲等医院。", "三级医院。")
    assert s.reg.problems == []


def test_a_name_a_banned_record_shares_replays_again(kit: SimpleNamespace, tmp_path: Path) -> None:
    # the names reach the replay only through the pairs of records sharing one (二(一)1): a new
    # pair must replay, or the E408 it breaks would be missed
    s = Session(kit.make_registry(tmp_path))
    assert not s.edit(
        "banned/BAN-0001.yaml", "category:", "aliases: [自体CAR-T细胞治疗技术]\ncategory:"
    )
    assert {p.code for p in s.reg.problems} == {"E408"}
    assert not s.edit("banned/BAN-0001.yaml", "[自体CAR-T细胞治疗技术]", "[别的名称]")
    assert s.reg.problems == []


def test_an_edit_of_an_announcement_replays_again(kit: SimpleNamespace, tmp_path: Path) -> None:
    s = Session(kit.make_registry(tmp_path))
    since = s.reg.replay.statuses["BMT-2026-001"].since
    assert not s.edit("announcements/ANN-2026-002.yaml", "date: 2026-03-01", "date: 2026-03-02")
    assert s.reg.replay.statuses["BMT-2026-001"].since == since.replace(day=2)
    assert not s.edit("risk-grades.yaml", "exclusive_years: 5", "exclusive_years: 4")
    assert not s.edit(
        "approved/BMT-2026-001.yaml", "guidance_entry: GL-0001", "guidance_entry: GL-0009"
    )
    assert "E305" in {p.code for p in s.reg.problems}
