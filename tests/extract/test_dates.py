"""The policy's stated date."""

from __future__ import annotations

import pytest

from crawler.extract import extract, find_policy_date

from tests.extract.pages import page, policy_body


@pytest.mark.parametrize("text, iso", [
    ("Last updated: March 3, 2021", "2021-03-03"),
    ("Effective as of 2019-05-25", "2019-05-25"),
    ("This policy is effective from 1st July 2012.", "2012-07-01"),
    ("Stand: 01.02.2020", "2020-02-01"),
    ("Dernière mise à jour : 12 mars 2020", "2020-03-12"),
    ("**Last Updated: 3/11/2025**", "2025-03-11"),
    ("Effective date: 25/05/2018", "2018-05-25"),
    ("Updated in May 2018", "2018-05-01"),
    ("Zuletzt aktualisiert am 3. März 2021", "2021-03-03"),
    ("Última actualización: 25 de mayo de 2018", "2018-05-25"),
    ("Last revised on Sept. 5, 2017", "2017-09-05"),
    ("Nach dem Stand der Technik 2020 schützen wir Daten.", None),
    ("Founded 2001-01-01, we value privacy.", None),
    ("Last updated: February 30, 2020", None),
])
def test_policy_date(text, iso):
    assert find_policy_date(text) == iso


def test_extract_sets_policy_date():
    doc = extract(page(policy_body("<p><em>Last updated: March 3, 2021</em></p>")).encode())
    assert doc.policy_date == "2021-03-03"
