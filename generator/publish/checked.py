"""A checked registry: the outputs of the validate and status stages side by side, each as its
stage returned it (validate/entries.py `Registry`, status/derive.py `Derived`), with every
problem found, in file order. What `check_registry` returns and `build_site` reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.domain.errors import Problem
from generator.domain.models import RegistryConfig, RiskGrades
from generator.load.documents import Document
from generator.status.conditions import Version
from generator.status.derive import Derived
from generator.status.states import Replay
from generator.validate.entries import Entry, Registry


@dataclass(frozen=True)
class Checked:
    registry: Registry
    derived: Derived
    problems: list[Problem]  # in file order (a list: reports and tests compare it with lists)

    # the registry's fields that the later stages and the tests read, typed
    @property
    def root(self) -> Path:
        return self.registry.root

    @property
    def as_of(self) -> date:
        return self.registry.as_of

    @property
    def config(self) -> RegistryConfig | None:
        return self.registry.config

    @property
    def config_doc(self) -> Document | None:
        return self.registry.config_doc

    @property
    def grades(self) -> RiskGrades | None:
        return self.registry.grades

    @property
    def records(self) -> dict[str, Entry]:
        return self.registry.records

    @property
    def announcements(self) -> dict[str, Entry]:
        return self.registry.announcements

    @property
    def conditions(self) -> dict[str, Entry]:
        return self.registry.conditions

    @property
    def files(self) -> int:
        return self.registry.files

    @property
    def unreadable(self) -> set[tuple[str, str]]:
        return self.registry.unreadable

    @property
    def partial(self) -> dict[tuple[str, str], Entry]:
        return self.registry.partial

    @property
    def replay(self) -> Replay:
        return self.derived.replay

    @property
    def condition_versions(self) -> dict[str, list[Version]]:
        return self.derived.versions

    @property
    def ok(self) -> bool:
        return not self.problems
