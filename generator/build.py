"""Atomic site builds: MkDocs writes into a temporary directory that replaces `site/` only on success."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError

from .errors import Problem


class RegistryInvalid(PluginError):
    """The data did not validate; carries every problem (raised by the plugin in on_config).

    A PluginError, so that plain `mkdocs build` prints the list and exits 1 without a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"数据校验未通过，共 {len(problems)} 个错误：\n{lines}")
        self.problems = problems


@contextmanager
def registry_env(data_dir: Path | None, as_of: date | None) -> Iterator[None]:
    """Pass --data and --as-of to the plugin, which MkDocs instantiates itself."""
    saved = {
        k: os.environ.get(k) for k in ("REGISTRY_DATA", "REGISTRY_AS_OF", "NO_MKDOCS_2_WARNING")
    }
    if data_dir is not None:
        os.environ["REGISTRY_DATA"] = str(data_dir.resolve())
    if as_of is not None:
        os.environ["REGISTRY_AS_OF"] = as_of.isoformat()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build(
    config_file: Path, site_dir: Path, data_dir: Path | None = None, as_of: date | None = None
) -> None:
    """Build into a sibling temporary directory, then swap it in; on any failure `site_dir` is untouched."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site_dir = site_dir.resolve()
    tmp = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        with registry_env(data_dir, as_of):
            config = load_config(str(config_file), site_dir=str(tmp))
            mkdocs_build(config)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def serve(config_file: Path, data_dir: Path | None, as_of: date | None, addr: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    with registry_env(data_dir, as_of):
        mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=addr)
