"""Checks run inside the page: axe-core, visible focus, sideways scrolling."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
# The copy `make assets` puts in the app's vendor folder, else the npm one.
AXE_FILES = (ROOT / "portal/static/vendor/axe-core/axe.min.js", ROOT / "node_modules/axe-core/axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


@cache
def axe_source() -> str:
    for path in AXE_FILES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail("axe-core not found at " + " or ".join(map(str, AXE_FILES)) + "; run `make assets`")


def run_axe(page: Page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page as it is now
    (every rule of those tags; a test leaves out the ones it disables).

    axe is evaluated through the DevTools protocol, which the page's CSP
    (script-src 'self') does not apply to; nothing is fetched."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


# Is the focused element's focus indicator there and on screen? DKFDS hides
# the real checkbox/radio input and draws it on its label's ::before, so for
# those the label's pseudo-element is where the focus ring must be.
_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {ok: false, what: 'nothing (body)'};
  }
  const drawn = (node, pseudo) => {
    const cs = getComputedStyle(node, pseudo);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
      && cs.outlineColor !== 'rgba(0, 0, 0, 0)' && cs.outlineColor !== 'transparent';
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return outline || shadow;
  };
  const hidden = el.matches('input[type=checkbox], input[type=radio]') && el.labels && el.labels.length;
  const target = hidden ? el.labels[0] : el;
  const ring = hidden ? drawn(target, '::before') : drawn(el);
  const r = target.getBoundingClientRect();
  const cx = Math.min(Math.max(r.left + Math.min(r.width / 2, 12), 0), innerWidth - 1);
  const cy = Math.min(Math.max(r.top + Math.min(r.height / 2, 12), 0), innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
    && r.right > 0 && r.left < innerWidth;
  const unobscured = !!hit && (hit === el || el.contains(hit) || target.contains(hit) || hit === target);
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40);
  return {ok: ring && onScreen && unobscured, ring, onScreen, unobscured,
          what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`,
          hit: hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : null};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(_FOCUS_STATE)


def assert_focus_visible(page: Page) -> dict:
    """The focused element shows a focus ring, on screen and not covered
    (by the sticky quick-exit bar, say). Waits out CSS transitions."""
    try:
        page.wait_for_function(f"({_FOCUS_STATE})().ok", timeout=3000)
    except PlaywrightError:
        pytest.fail(f"focus is not visible: {focused(page)}")
    return focused(page)


def tab_to(page: Page, selector: str, *, key: str = "Tab", max_stops: int = 80) -> int:
    """Press Tab (or Shift+Tab) until ``selector`` has focus, checking the
    focus ring at every stop; returns the number of presses."""
    target = page.locator(selector)
    for presses in range(1, max_stops + 1):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if target.evaluate("el => el === document.activeElement"):
            return presses
    pytest.fail(f"{selector} not reached with {max_stops} × {key}; focus ended on {focused(page)['what']}")


_OVERFLOW = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= innerWidth) return null;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > innerWidth + 1 || r.left < -1)) {
      wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''}`
                + ` [${Math.round(r.left)}–${Math.round(r.right)}]`);
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth, wide: wide.slice(0, 8)};
}"""


def horizontal_overflow(page: Page, width: int) -> dict | None:
    """None if the page fits ``width`` without scrolling sideways, else what sticks out."""
    page.set_viewport_size({"width": width, "height": 900})
    return page.evaluate(_OVERFLOW)


def submit(page: Page) -> None:
    """Press the main form's submit button (the person's click): the first
    form's (the thread page's reply comes before "Delete my question")."""
    page.locator("main form button[type=submit]").first.click()


def receipt_code(page: Page) -> str:
    code = page.locator(".receipt-code")
    expect(code).to_be_visible()
    return code.inner_text().strip()
