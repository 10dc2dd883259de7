"""A Python-Markdown extension that stops a build whose engine did not run the registry plugin.

Listed in mkdocs.yml (`markdown_extensions: - generator.shells.engine_markdown`). MkDocs and
ProperDocs run our plugin, whose on_config marks it (engine_guard.py `mark_plugin_ran`) before any
page is converted, so the extension does nothing there. Zensical reads the same mkdocs.yml, ignores
the plugin but loads Markdown extensions (tried with zensical 0.0.73: a raising extension fails its
build with exit status 1), so the first hand-written page it converts raises, and the build fails
with our message instead of publishing a site without the registry.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from generator.shells.engine_guard import HINT, EngineIgnoredPlugin, plugin_ran


class _Guard(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not plugin_ran():
            raise EngineIgnoredPlugin(HINT)
        return lines


class EngineGuard(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_Guard(md), "registry_engine_guard", 1000)


def makeExtension(**kwargs: Any) -> EngineGuard:  # noqa: N802 (Python-Markdown's entry point)
    return EngineGuard(**kwargs)
