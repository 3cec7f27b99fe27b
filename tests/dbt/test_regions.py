"""Regions: dim_region from the division seed, and every bundled unit placed in it.

Expected places are read from the documents by hand: 000/001 are 中共上海市委组织部's
(上海市), 002 is 中共上海闵行区组织部's (上海市 闵行区), 003 is 上海市干部培训中心 under
上海市人力资源和社会保障局 (上海市). Division codes are GB/T 2260's (310000 上海市,
310112 闵行区, 341181 天长市 of 341100 滁州市 in 340000 安徽省).
"""

from __future__ import annotations

import csv

from jixiao.paths import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "admin_divisions.csv"


def test_seed_holds_every_province_and_known_counties():
    rows = list(csv.DictReader(SEED.open(encoding="utf-8")))
    provinces = [r for r in rows if r["level"] == "province"]
    assert len(provinces) == 31  # the mainland's 31 provincial divisions
    by_code = {r["division_code"]: r for r in rows}
    assert by_code["310112"]["name"] == "闵行区" and by_code["310112"]["province_code"] == "310000"
    assert by_code["341181"]["name"] == "天长市" and by_code["341181"]["city_code"] == "341100"
    assert [r["province_code"] for r in rows if r["name"] == "朝阳区"] == ["110000", "220000"]


def test_dim_region_spells_out_each_level(warehouse):
    assert warehouse.one(
        "select province, city, county, level from marts.dim_region where region_id = '341181'"
    ) == ("安徽省", "滁州市", "天长市", "county")
    assert warehouse.one(
        "select province, city, county, level from marts.dim_region where region_id = '310112'"
    ) == ("上海市", None, "闵行区", "county")
    assert warehouse.scalar("select count(*) from marts.dim_region") == sum(1 for _ in SEED.open()) - 1


def test_bundled_units_are_placed(warehouse):
    placed = dict(
        warehouse.rows(
            "select d.department_name, r.full_name from marts.dim_department d"
            " left join marts.dim_region r using (region_id)"
        )
    )
    assert placed == {
        "中共上海市委组织部": "上海市",
        "上海市人力资源和社会保障局": "上海市",
        "上海市干部培训中心": "上海市",
        "中共上海市闵行区委组织部": "上海市 闵行区",
        "中共上海市闵行区委组织部(汇总)": "上海市 闵行区",
    }
    assert warehouse.scalar("select count(*) from marts.dim_department_unplaced") == 0
