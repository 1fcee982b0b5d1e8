"""Rounding checks for derived figures, on facts read from the article."""

import pytest

from gaoxin.analysis.derive import printed_decimals, rounding_interval, rounds_to
from gaoxin.data import fact, load_facts


@pytest.fixture(scope="module")
def facts():
    return load_facts()


def test_printed_decimals():
    assert [printed_decimals(t) for t in ("10.3", "418.9", "14", "15.42", "８．６")] == [
        1,
        1,
        0,
        2,
        1,
    ]


def test_rounding_interval_in_base_units(facts):
    # 总改造面积达14万平方米: anything from 13.5万 to 14.5万 m² prints as 14万
    area = fact(facts, metric_en="total area of residential upgrades")
    assert rounding_interval(area) == pytest.approx((135_000, 145_000))
    # 占该市重点项目的10.3%
    share = fact(facts, metric_en="share of the city's key projects")
    assert rounding_interval(share) == pytest.approx((10.25, 10.35))


def test_rounds_to_checks_a_derived_claim(facts):
    # 计划年度投资60亿元, 完成投资69.3亿元, 占目标任务的115.5%: 69.3 / 60 = 1.155
    plan = fact(facts, metric_en="planned annual investment in key projects")
    done = fact(facts, metric_en="completed investment in key projects")
    share = fact(facts, metric_en="completed investment as share of plan")
    assert rounds_to(100 * done.value_normalized / plan.value_normalized, share)
    assert not rounds_to(115.6, share)
    assert rounds_to(115.46, share) and not rounds_to(115.44, share)


def test_true_range_of_qualified_figures(facts):
    from gaoxin.analysis.derive import OPEN, round_step, true_range

    assert [round_step(t) for t in ("3600", "1200", "35", "8.6", "三")] == [100, 100, 1, 1, 1]
    # 新增市场主体达3600余家: at least 3600, short of 3700
    assert true_range(fact(facts, metric_en="new market entities")) == (3600, 3700)
    # 同比增长30%以上: 30 or more, no upper end
    assert true_range(fact(facts, metric_en="new market entities growth")) == (30, OPEN)
    # 引进资金总额突破200亿元: more than 200亿, no upper end
    assert true_range(fact(facts, metric_en="capital to introduce")) == (2e10, OPEN)
    # 地区生产总值同比增长8.6%: exact as printed
    assert true_range(fact(facts, metric_en="GDP growth")) == (8.6, 8.6)
