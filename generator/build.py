"""Atomic site builds: MkDocs writes into a temporary directory that replaces `site/` only on success."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError

from .errors import Problem

INVALID_PREFIX = "数据校验未通过"


class RegistryInvalid(PluginError):
    """The data did not validate; carries every problem (raised by the plugin in on_config).

    A PluginError, so that plain `mkdocs build` prints the list and exits 1 without a traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(p.text() for p in problems)
        super().__init__(f"{INVALID_PREFIX}，共 {len(problems)} 个错误：\n{lines}")
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


class _DropValidationReport(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(INVALID_PREFIX)


@contextmanager
def _quiet_validation_log() -> Iterator[None]:
    """Our CLI prints the problems itself; MkDocs' own log line would repeat all of them."""
    logger = logging.getLogger("mkdocs.commands.build")
    flt = _DropValidationReport()
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


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
    config = None
    try:
        with registry_env(data_dir, as_of), _quiet_validation_log():
            config = load_config(str(config_file), site_dir=str(tmp))
            mkdocs_build(config)
    except Abort:
        shutil.rmtree(tmp, ignore_errors=True)
        # MkDocs turns our PluginError into a bare Abort; hand the problems back to the caller.
        plugin = config.plugins.get("registry") if config is not None else None
        if plugin is not None and getattr(plugin, "problems", None):
            raise RegistryInvalid(plugin.problems) from None
        raise
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
