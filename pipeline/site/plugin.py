"""The Pelican plugin: a thin layer that adds our generator; the logic lives in pipeline.site."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

BUILD_SETTING = "PLP_SITE_BUILD"
"""Settings key carrying the SiteBuild (content already loaded and checked) into Pelican."""


class PlpGenerator(Generator):
    """Writes the PLP site from plp's own loaded content, with Pelican's Jinja environment."""

    def generate_context(self) -> None:
        """Nothing to read: see below."""
        # Content is loaded and checked before Pelican starts (a broken message stops the build
        # with the `plp check` error), so there is nothing for Pelican to read here.
        pass

    def generate_output(self, writer) -> None:
        """Write the site; files go through our Output (only changed bytes), not `writer`."""
        build = self.settings.get(BUILD_SETTING)
        if build is not None:
            build.write(self.env, tuple(self.settings.get("OUTPUT_RETENTION", ())))


def add_generator(pelican_object) -> type[Generator]:
    """get_generators receiver: our generator joins Pelican's (which have nothing to read)."""
    return PlpGenerator


def register() -> None:
    """Pelican entry point: connect module-level receivers (idempotent)."""
    signals.get_generators.connect(add_generator)
