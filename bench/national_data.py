"""A national-scale synthetic data set: 47 prefectures, 10,000 talent, 5,000 requests,
2,000 DX leaders, one coordinator per prefecture. Used by bench/load.py and other benches.

    python bench/national_data.py DATABASE_URL   # into a migrated database with reference data
"""

from __future__ import annotations

import random
import sys
from datetime import date

from sqlalchemy import create_engine, insert, select
from werkzeug.security import generate_password_hash

from talentpool.models import (
    DxLeader,
    Municipality,
    Prefecture,
    SupportRequest,
    Talent,
    TaxonomyTerm,
    User,
    request_skill,
    talent_skill,
)
from talentpool.text import search_key

PASSWORD = "load-test-password-1"
FAMILY = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上".split()
GIVEN = "健一 美咲 翔太 陽子 大輔 彩 誠 由美 拓也 恵 直樹 真理 剛 愛 浩二 舞 亮 香織".split()
WORK = [
    "住民記録システムの標準準拠システム移行をPMOとして支援。",
    "ガバメントクラウド接続のネットワーク設計(LGWAN・三層分離)に従事。",
    "書かない窓口の導入とオンライン申請の設計を担当。",
    "生成AIとRPAを使った業務効率化の庁内展開を支援。",
    "マイナンバーカードの利活用とマイナ保険証の周知を支援。",
    "情報セキュリティポリシーの改定と職員研修を担当。",
    "EBPMのためのデータ分析基盤とオープンデータ公開を支援。",
    "ICT調達の仕様書作成とベンダーマネジメントを支援。",
    "DX推進計画の策定とCIO補佐官としての助言。",
    "地域の防災DXとスマート農業の実証を支援。",
]
NEED = [
    (
        "基幹業務システム標準化の移行支援",
        "標準準拠システムへの移行計画と進捗管理を支援してほしい。",
    ),
    ("書かない窓口の導入支援", "窓口の申請書作成支援とオンライン申請の導線を整理したい。"),
    ("情報セキュリティ対策の強化", "ポリシー見直しと職員研修の実施を支援してほしい。"),
    ("生成AIの業務活用", "文書作成への生成AI活用のルールづくりと試行を支援してほしい。"),
    ("DX推進計画の策定", "CIO補佐官として計画策定と推進体制づくりに助言がほしい。"),
    ("データ利活用の推進", "EBPMのためのデータ整備と分析を支援してほしい。"),
]


def load(
    url: str, *, talent: int = 10_000, requests: int = 5_000, leaders: int = 2_000, seed: int = 7
) -> dict[str, int]:
    """Insert the data set with bulk inserts; returns counts. Reference data must exist."""
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as conn:
        prefectures = conn.execute(select(Prefecture.id, Prefecture.code)).all()
        municipalities = conn.execute(select(Municipality.id, Municipality.prefecture_id)).all()
        codes = conn.execute(select(TaxonomyTerm.code)).scalars().all()
        by_pref: dict[int, list[int]] = {}
        for muni_id, pref_id in municipalities:
            by_pref.setdefault(pref_id, []).append(muni_id)
        weights = [len(by_pref[p]) for p, _ in prefectures]
        password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        conn.execute(
            insert(User),
            [
                {
                    "email": f"coordinator{code}@load.example.jp",
                    "name": f"担当 {code}",
                    "role": "coordinator",
                    "prefecture_id": pid,
                    "password_hash": password,
                }
                for pid, code in prefectures
            ],
        )
        talent_rows = []
        for n in range(talent):
            pid = rng.choices([p for p, _ in prefectures], weights)[0]
            name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            experience = "".join(rng.sample(WORK, 2))
            talent_rows.append(
                {
                    "prefecture_id": pid,
                    "external_id": f"L{n:06d}",
                    "name": name,
                    "name_kana": "",
                    "kind": rng.choice(["staff", "external", "external", "company"]),
                    "cio_candidate": rng.random() < 0.15,
                    "experience": experience,
                    "qualifications": "",
                    "available_hours_per_month": rng.choice([10, 20, 40, 80, 160]),
                    "work_style": rng.choice(["onsite", "remote", "hybrid"]),
                    "active": True,
                    "email": f"t{n}@load.example.jp",
                    "search_text": search_key(name + experience),
                }
            )
        conn.execute(insert(Talent), talent_rows)
        talent_ids = conn.execute(select(Talent.id)).scalars().all()
        conn.execute(
            insert(talent_skill),
            [
                {"talent_id": tid, "term_code": code}
                for tid in talent_ids
                for code in rng.sample(codes, rng.randint(0, 4))
            ],
        )
        request_rows = []
        for n in range(requests):
            pid = rng.choices([p for p, _ in prefectures], weights)[0]
            title, text = rng.choice(NEED)
            start = date(2025, rng.randint(4, 12), 1)
            request_rows.append(
                {
                    "prefecture_id": pid,
                    "municipality_id": rng.choice(by_pref[pid]),
                    "external_id": f"LR{n:06d}",
                    "title": title,
                    "description": text,
                    "hours_per_month": rng.choice([10, 20, 30, 40]),
                    "headcount": rng.choice([1, 1, 2]),
                    "start_date": start,
                    "end_date": date(2027, 3, 31),
                    "onsite_required": rng.random() < 0.3,
                    "wants_cio": rng.random() < 0.1,
                    "state": rng.choice(["open", "open", "open", "draft", "filled", "closed"]),
                    "contact_name": "情報政策課",
                    "search_text": search_key(title + text),
                }
            )
        conn.execute(insert(SupportRequest), request_rows)
        request_ids = conn.execute(select(SupportRequest.id)).scalars().all()
        conn.execute(
            insert(request_skill),
            [
                {"request_id": rid, "term_code": code}
                for rid in request_ids
                for code in rng.sample(codes, rng.randint(1, 3))
            ],
        )
        conn.execute(
            insert(DxLeader),
            [
                {
                    "municipality_id": rng.choice(municipalities)[0],
                    "name": f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    "department": "総務課",
                    "position": "主任",
                    "active": True,
                }
                for _ in range(leaders)
            ],
        )
    engine.dispose()
    return {
        "talent": talent,
        "requests": requests,
        "dx_leaders": leaders,
        "coordinators": len(prefectures),
    }


if __name__ == "__main__":
    print(load(sys.argv[1]))
