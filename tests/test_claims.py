"""Claims bound to the data, findings for the front page, labels and years from the data."""

import pandas as pd
import pytest

from gaoxin import labels
from gaoxin.analysis import claims
from gaoxin.config import FINDING_MIMETYPE


def test_check_passes_silently_and_fails_naming_the_claim():
    claims.check(True, "anything")
    with pytest.raises(claims.ClaimError, match="GDP growth is filed under general"):
        claims.check(False, "GDP growth is filed under general")
    with pytest.raises(claims.ClaimError, match=r"two counts agree \(found 3, expected 0\)"):
        claims.check_equal(3, 0, "two counts agree")


@pytest.mark.parametrize(
    "heading",
    [
        "## How much faster must the economy grow?",
        "### Which 2018 figure can each target be read against?",
        "## 目标与实绩 (2019 — 2018)",
    ],
)
def test_heading_anchor_is_the_id_nbconvert_generates(heading):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    html = markdown2html_mistune(heading)
    assert f'id="{claims.heading_anchor(heading)}"' in html


def test_finding_emits_its_sentence_and_the_front_page_payload(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    claims.finding("Only **5** of 19 targets have a baseline.", figure="fig1", heading="## Why?")
    (bundle,) = shown
    assert bundle[FINDING_MIMETYPE] == {
        "text": "Only **5** of 19 targets have a baseline.",
        "figure": "fig1",
        "anchor": "Why?",
        "about": "zone",
    }
    assert "Only **5** of 19" in bundle["text/markdown"]
    with pytest.raises(ValueError):
        claims.finding("  ")
    with pytest.raises(ValueError, match="about the zone or the text"):
        claims.finding("A sentence.", about="layout")


@pytest.fixture
def facts():
    return pd.DataFrame(
        {
            "period": ["result", "result", "target", "target", "none", "result"],
            "year": [2017, 2018, 2019, 2019, None, 2018],
            "section_id": ["s1", "s1", "s3", "s3", "s0", "s2"],
            "paragraph_id": ["p05", "p08", "p30", "p31", "p01", "p08"],
        }
    )


def test_years_and_sections_come_from_the_data(facts):
    assert labels.report_year(facts) == 2018
    assert labels.plan_year(facts) == 2019
    assert labels.main_section(facts, "result") == "s1"
    assert labels.main_section(facts, "target", 2019) == "s3"
    assert labels.densest_paragraph(facts, "result", 2018) == "p08"
    assert labels.densest_paragraph(facts, "target") == "p30"  # a tie: the first in order
    with pytest.raises(LookupError):
        labels.main_section(facts, "multi_year")


def test_reader_words_for_codes():
    assert labels.period_label("result", 2018) == "2018年实绩 2018 result"
    assert labels.period_label("target", 2019.0) == "2019年目标 2019 target"
    assert labels.period_label("plan", 2018) == "2018年计划 2018 plan"
    assert labels.period_label("multi_year") == "多年 Multi-year"
    assert labels.label("general") == "综合 General"
    assert labels.label("park") == "园区 Industrial park"
    assert labels.label("unknown_code") == "unknown_code"
    assert labels.qualifier_words("at_least") == "or more 以上"
    assert labels.qualifier_words("more_than+at_least") == "more than 多于 and or more 以上"
    assert labels.qualifier_words(float("nan")) == ""
    assert labels.qualifier_sign("at_least") == "≥"
    assert labels.qualifier_sign("more_than+at_least") == ">"
