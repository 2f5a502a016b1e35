"""book/_ext/page_assets.py: the theme's Font Awesome script tag is removed, nothing else is."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import page_assets  # noqa: E402

# pydata-sphinx-theme 0.17.1's head_js_preload macro, as it renders in a chapter's head.
THEME_HEAD = """  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>
  <!-- Pre-loaded scripts that we'll load fully later -->
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=55c26ed4" />
"""


def test_the_font_awesome_script_tag_is_removed_and_the_rest_kept():
    lighter = page_assets.drop_fontawesome_js(THEME_HEAD)
    assert "fontawesome.js" not in lighter
    assert lighter == THEME_HEAD.replace(
        '  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb">'
        "</script>\n", "")
    assert 'href="../_static/scripts/bootstrap.js' in lighter


def test_a_page_without_the_tag_is_unchanged():
    page = '<script src="_static/scripts/bootstrap.js"></script><i class="fa-solid fa-bars"></i>'
    assert page_assets.drop_fontawesome_js(page) == page
