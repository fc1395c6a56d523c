"""China's 31 provincial-level divisions: keys, codes, names and regions.

Every household lives in a province (`Population.hh_province`, an index into `PROVINCES`); the four
regions (east, central, west, northeast; NBS, 东西中部和东北地区划分方法) follow from it. The
published figures of each province are read by `model.province_data`.
"""

from __future__ import annotations

from dataclasses import dataclass

# NBS regions (东西中部和东北地区划分方法); model.registry names regional parameters by them
REGIONS = ("east", "central", "west", "northeast")


@dataclass(frozen=True)
class Province:
    key: str  # pinyin, as in parameter names and result groups (``province_<key>``)
    code: int  # GB/T 2260 two-digit code
    name_zh: str
    name_en: str
    region: str  # one of REGIONS


PROVINCES: tuple[Province, ...] = tuple(
    Province(k, c, zh, en, r)
    for k, c, zh, en, r in (
        ("beijing", 11, "北京", "Beijing", "east"),
        ("tianjin", 12, "天津", "Tianjin", "east"),
        ("hebei", 13, "河北", "Hebei", "east"),
        ("shanxi", 14, "山西", "Shanxi", "central"),
        ("neimenggu", 15, "内蒙古", "Inner Mongolia", "west"),
        ("liaoning", 21, "辽宁", "Liaoning", "northeast"),
        ("jilin", 22, "吉林", "Jilin", "northeast"),
        ("heilongjiang", 23, "黑龙江", "Heilongjiang", "northeast"),
        ("shanghai", 31, "上海", "Shanghai", "east"),
        ("jiangsu", 32, "江苏", "Jiangsu", "east"),
        ("zhejiang", 33, "浙江", "Zhejiang", "east"),
        ("anhui", 34, "安徽", "Anhui", "central"),
        ("fujian", 35, "福建", "Fujian", "east"),
        ("jiangxi", 36, "江西", "Jiangxi", "central"),
        ("shandong", 37, "山东", "Shandong", "east"),
        ("henan", 41, "河南", "Henan", "central"),
        ("hubei", 42, "湖北", "Hubei", "central"),
        ("hunan", 43, "湖南", "Hunan", "central"),
        ("guangdong", 44, "广东", "Guangdong", "east"),
        ("guangxi", 45, "广西", "Guangxi", "west"),
        ("hainan", 46, "海南", "Hainan", "east"),
        ("chongqing", 50, "重庆", "Chongqing", "west"),
        ("sichuan", 51, "四川", "Sichuan", "west"),
        ("guizhou", 52, "贵州", "Guizhou", "west"),
        ("yunnan", 53, "云南", "Yunnan", "west"),
        ("xizang", 54, "西藏", "Tibet", "west"),
        ("shaanxi", 61, "陕西", "Shaanxi", "west"),
        ("gansu", 62, "甘肃", "Gansu", "west"),
        ("qinghai", 63, "青海", "Qinghai", "west"),
        ("ningxia", 64, "宁夏", "Ningxia", "west"),
        ("xinjiang", 65, "新疆", "Xinjiang", "west"),
    )
)
KEYS: tuple[str, ...] = tuple(p.key for p in PROVINCES)
N_PROVINCES = len(PROVINCES)
INDEX = {k: i for i, k in enumerate(KEYS)}


def __getattr__(name: str):
    """`REGION_OF`: the region code (index into REGIONS) of each province, an int8 array made
    when first imported, so that reading scenarios (`minsheng validate`) needs no numpy."""
    if name == "REGION_OF":
        import numpy as np

        global REGION_OF
        REGION_OF = np.array([REGIONS.index(p.region) for p in PROVINCES], dtype=np.int8)
        return REGION_OF
    raise AttributeError(f"module 'model.provinces' has no attribute {name!r}")


def group(key: str) -> str:
    """The result group of a province (``province_<pinyin>``)."""
    return f"province_{key}"
