"""The enterprise list's reads: each view with a search lists what both pick, ASCII letters match in
any case, the 包企民警's name is searched, and a search keeps the list's order page by page."""

from __future__ import annotations

from datetime import timedelta

from app.enterprises.liaison import RequestValues, add_request
from app.enterprises.queries import search_enterprise_rows
from app.enterprises.register import EnterpriseValues, add_enterprise
from tests.enterprises.conftest import INSPECTED, TODAY


def names(db, *, today=TODAY, **kwargs) -> list[str]:
    return [row.name for row in search_enterprise_rows(db, today=today, **kwargs)]


def test_each_view_with_a_search_lists_what_both_pick(db, officer, second_officer, enterprise, failed_inspection):
    other = add_enterprise(db, values=EnterpriseValues(name="杭州顺达化工物流有限公司", category="chemicals"),
                           liaison_officer_id=second_officer, today=TODAY)
    add_request(db, enterprise_id=other, today=TODAY,
                values=RequestValues(TODAY, "夜间厂区外道路照明不足", TODAY + timedelta(days=5)))
    assert names(db, text="化工") == ["杭州恒信化工有限公司", "杭州顺达化工物流有限公司"]
    for view in ("open", "overdue"):  # the failed inspection's rectifications, both past their deadline
        assert names(db, view=view, text="化工") == ["杭州恒信化工有限公司"]
        assert names(db, view=view, text="顺达") == []
    before = INSPECTED + timedelta(days=10)  # before either deadline: open, not overdue
    assert names(db, view="open", text="化工", today=before) == ["杭州恒信化工有限公司"]
    assert names(db, view="overdue", text="化工", today=before) == []
    assert names(db, view="requests", text="化工") == ["杭州顺达化工物流有限公司"]
    assert names(db, view="requests", text="恒信") == []
    assert names(db, view="mine", officer_id=second_officer, text="化工") == ["杭州顺达化工物流有限公司"]
    assert names(db, text="李警官") == ["杭州顺达化工物流有限公司"]  # its 包企民警


def test_ascii_letters_match_in_any_case(db, officer):
    add_enterprise(db, values=EnterpriseValues(name="杭州云栖科技有限公司", category="general",
                                               address="西湖区云栖小镇b座", industry="it服务"), today=TODAY)
    for text in ("b座", "B座", "IT服务", "It服务 云栖"):
        assert names(db, text=text) == ["杭州云栖科技有限公司"], text
    assert names(db, text="c座") == []


def test_a_search_lists_its_matches_in_the_lists_order_page_by_page(db, officer, second_officer):
    found = set()
    for n, (name, category) in enumerate((("甲", "general"), ("乙", "key"), ("丙", "explosives"), ("丁", "general"),
                                          ("戊", "chemicals"), ("己", "key"), ("庚", "general"), ("辛", "general"))):
        liaison = (officer, second_officer, None)[n % 3]
        firm = add_enterprise(db, values=EnterpriseValues(name=f"{name}{'物流' if n % 2 else '商贸'}有限公司",
                                                          category=category), liaison_officer_id=liaison, today=TODAY)
        if n % 2:
            found.add(firm)
    for sort in ("name", "category", "liaison"):
        for descending in (False, True):
            everyone = [row.id for row in search_enterprise_rows(db, sort=sort, descending=descending, today=TODAY)]
            paged = [row.id for offset in (0, 3) for row in search_enterprise_rows(
                db, text="物流", sort=sort, descending=descending, offset=offset, limit=3, today=TODAY)]
            assert paged == [i for i in everyone if i in found], (sort, descending)


def test_the_tabs_warm_up_reads_every_view_and_survives_an_empty_station(db, officer):
    from ui.enterprises.tab import EnterprisesTab

    assert EnterprisesTab.warm_up(db, TODAY) is None  # on a worker: no widget, nothing returned
    add_enterprise(db, values=EnterpriseValues(name="杭州云栖科技有限公司", category="general"), today=TODAY)
    assert EnterprisesTab.warm_up(db, TODAY) is None
