"""Layout: no sideways scrolling on a phone or a desktop, Arabic and Urdu
mirrored, and the receipt code still read left to right inside Arabic text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.i18n import LANGUAGES
from tests.browser.pages import BY_NAME, STATES, WIDTHS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_sideways_scrolling_at_320_and_1280_px(public_pages, lang):
    """document.documentElement.scrollWidth <= window.innerWidth on every page."""
    report = public_pages(lang)
    assert WIDTHS == (320, 1280)
    assert report.walked == [state.name for state in STATES if not state.redirect_to]
    assert not report.overflow, "\n".join(f"/{lang} {where}: {what}" for where, what in report.overflow.items())


# Paragraphs in main that fit on one line with room to spare: where their
# text sits tells the reading direction. Measured against the page column.
_SHORT_LINES = """() => {
  const column = document.querySelector('main .page');
  const cs = getComputedStyle(column);
  const c = column.getBoundingClientRect();
  const left = c.left + parseFloat(cs.paddingLeft), right = c.right - parseFloat(cs.paddingRight);
  const lines = [];
  for (const p of column.querySelectorAll('p')) {
    const range = document.createRange();
    range.selectNodeContents(p);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (!rects.length || rects.some(r => Math.abs(r.top - rects[0].top) > 4)) continue;  // several lines
    const start = Math.min(...rects.map(r => r.left)), end = Math.max(...rects.map(r => r.right));
    if (end - start > 0.6 * (right - left)) continue;  // too wide to tell
    lines.push({text: p.textContent.trim().slice(0, 30), fromLeft: start - left, fromRight: right - end});
  }
  return lines;
}"""


@pytest.mark.parametrize("lang", ["da", "ar", "ur"])
def test_arabic_and_urdu_are_mirrored_and_danish_is_not(new_context, lang):
    rtl = lang in ("ar", "ur")
    page = new_context(locale=lang).new_page()
    page.goto(f"/{lang}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")

    lines = page.evaluate(_SHORT_LINES)
    assert lines, "no one-line paragraph on the front page to measure"
    for line in lines:
        start_gap = line["fromRight"] if rtl else line["fromLeft"]
        end_gap = line["fromLeft"] if rtl else line["fromRight"]
        assert start_gap <= 2 and end_gap > 50, line  # starts at the reading start, ends short of the other side

    # The accent border of the ways in sits on the reading-start side.
    way_in = page.locator(".way-in").first
    borders = way_in.evaluate("el => [getComputedStyle(el).borderLeftWidth, getComputedStyle(el).borderRightWidth]")
    assert borders == (["1px", "6px"] if rtl else ["6px", "1px"]), borders

    # DKFDS's checkboxes: the box on the reading-start side, the text after it.
    page.goto(f"/{lang}/ask")
    box = page.evaluate("""() => {
        const input = document.getElementById('topics-0');
        const group = input.closest('.form-group-checkbox').getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(input.labels[0]);
        const text = range.getBoundingClientRect(), r = input.getBoundingClientRect();
        return {boxLeft: r.left - group.left, boxRight: group.right - r.right,
                textLeft: text.left, textRight: text.right, inputLeft: r.left, inputRight: r.right};
    }""")
    if rtl:
        assert box["boxRight"] <= 1 and box["textRight"] <= box["inputLeft"], box
    else:
        assert box["boxLeft"] <= 1 and box["textLeft"] >= box["inputRight"], box


def test_receipt_code_reads_left_to_right_in_arabic(new_context, live):
    page = new_context(locale="ar").new_page()
    BY_NAME["ask_sent"].open(page, live, "ar")
    code = page.locator(".receipt-code")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert code.evaluate("el => getComputedStyle(el).direction") == "ltr"
    groups = code.evaluate("""el => {
        const text = el.firstChild, range = document.createRange(), xs = [];
        for (let i = 0; i < text.length; i += 5) {
            range.setStart(text, i); range.setEnd(text, i + 4);
            xs.push(range.getBoundingClientRect().left);
        }
        return xs;
    }""")
    assert len(groups) == 5 and groups == sorted(groups), groups  # first group leftmost


def test_dates_in_an_arabic_thread_do_not_mix_with_latin_names(new_context, live):
    """"… Mødrehjælpen · 23/11/2026": the date stays after (left of) the
    sentence in right-to-left text, not pulled into the name's run."""
    page = new_context(locale="ar").new_page()
    BY_NAME["thread"].open(page, live, "ar")
    meta = page.locator(".thread-message--staff .thread-meta")
    expect(meta.locator("time")).to_be_visible()
    boxes = meta.evaluate("""el => {
        const range = document.createRange();
        range.setStart(el, 0);
        range.setEndBefore(el.querySelector('time'));
        const time = el.querySelector('time').getBoundingClientRect();
        const words = Array.from(range.getClientRects())
            .filter(r => r.width > 0)
            .map(r => ({left: r.left, top: r.top, bottom: r.bottom}));
        return {time: {left: time.left, right: time.right, top: time.top, bottom: time.bottom}, words};
    }""")
    time, words = boxes["time"], boxes["words"]
    assert words, boxes
    # Runs of the sentence on the date's line (the date may also wrap to a line of its own).
    same_line = [w for w in words if w["top"] < time["bottom"] - 1 and w["bottom"] > time["top"] + 1]
    if same_line:
        assert time["right"] <= min(w["left"] for w in same_line) + 1, boxes
    else:
        assert time["top"] >= max(w["bottom"] for w in words) - 1, boxes
