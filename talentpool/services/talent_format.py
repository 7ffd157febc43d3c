"""The spreadsheet format of talent (pool and national list): import schema and export rows.

The canonical header is English; Japanese headers as prefectures' own sheets name them are
accepted too. An export writes exactly the columns the import reads, so it re-imports cleanly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from talentpool.models import NationalListEntry, Talent, TaxonomyTerm
from talentpool.services.talent import MAX_HOURS_PER_MONTH
from talentpool.tabular import (
    Column,
    Schema,
    parse_bool,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_lg_code,
    parse_list,
    parse_prefecture_code,
    parse_str,
)

KIND_ALIASES = {
    "staff": ["常勤職員", "職員", "常勤", "県職員"],
    "external": ["外部人材", "外部", "個人"],
    "company": ["企業", "法人", "会社"],
}
WORK_STYLE_ALIASES = {
    "onsite": ["現地", "現地勤務", "常駐", "出勤"],
    "remote": ["リモート", "在宅", "テレワーク"],
    "hybrid": ["併用", "ハイブリッド", "現地・リモート併用"],
}
EXTERNAL_ROLE_ALIASES = {
    "producer": ["プロデューサー", "CIO補佐官等", "CIO補佐官"],
    "project_manager": ["プロジェクトマネージャー", "PM"],
    "service_designer": ["サービスデザイナー"],
    "engineer": ["エンジニア"],
}


def _lg_codes(value):
    """A list of municipality codes, each checked like a single lg_code cell."""
    codes = parse_list()(value)
    return [parse_lg_code(code) for code in codes]


def schema(terms: Iterable[TaxonomyTerm], *, pool: bool) -> Schema:
    """The import schema; `pool` adds prefecture, areas and the staff employment dates."""
    skill_lookup: dict[str, str] = {}
    for term in terms:
        skill_lookup.update(
            {term.code: term.code, term.label_ja: term.code, term.label_en: term.code}
        )
    columns = [
        Column(
            "external_id",
            ("管理番号", "人材ID", "ID", "外部ID"),
            required=True,
            parser=parse_str(64),
            label_ja="管理番号",
        ),
        Column(
            "name",
            ("名前", "氏名・企業名", "企業名"),
            required=True,
            parser=parse_str(100),
            label_ja="氏名",
        ),
        Column(
            "name_kana",
            ("フリガナ", "よみがな", "カナ"),
            parser=parse_str(100),
            label_ja="ふりがな",
        ),
        Column(
            "kind", ("区分",), required=True, parser=parse_choice(KIND_ALIASES), label_ja="種別"
        ),
        Column("cio_candidate", ("CIO補佐官等候補",), parser=parse_bool, label_ja="CIO補佐官候補"),
        Column(
            "external_role",
            ("役割", "スキル標準の役割"),
            parser=parse_choice(EXTERNAL_ROLE_ALIASES),
            label_ja="スキル標準の役割",
        ),
        Column(
            "skills",
            ("専門分野", "スキル・重点分野"),
            parser=parse_list(lookup=skill_lookup),
            label_ja="スキル",
        ),
        Column(
            "experience", ("経歴",), parser=parse_str(10_000, multiline=True), label_ja="職務経歴"
        ),
        Column(
            "qualifications",
            ("保有資格",),
            parser=parse_str(2_000, multiline=True),
            label_ja="資格",
        ),
        Column(
            "available_hours_per_month",
            ("稼働可能時間", "月間稼働可能時間", "稼働時間(月)"),
            parser=parse_int(min=0, max=MAX_HOURS_PER_MONTH),
            label_ja="稼働可能時間(月)",
        ),
        Column(
            "work_style", ("働き方",), parser=parse_choice(WORK_STYLE_ALIASES), label_ja="勤務形態"
        ),
        Column(
            "email",
            ("メール", "e-mail", "電子メール"),
            parser=parse_email,
            label_ja="メールアドレス",
        ),
        Column("phone", ("電話",), parser=parse_str(30), label_ja="電話番号"),
        Column("active", ("状態", "稼働中"), parser=parse_bool, label_ja="有効"),
    ]
    if pool:
        columns += [
            Column(
                "prefecture_code",
                ("都道府県",),
                parser=parse_prefecture_code,
                label_ja="都道府県コード",
            ),
            Column(
                "areas",
                ("対応市町村", "対応可能地域"),
                parser=_lg_codes,
                label_ja="対応地域(市町村コード)",
            ),
            Column(
                "employment_start", ("雇用開始", "採用日"), parser=parse_date, label_ja="雇用開始日"
            ),
            Column(
                "employment_end", ("雇用終了", "退職日"), parser=parse_date, label_ja="雇用終了日"
            ),
        ]
    return Schema(columns, unique=("external_id",))


def labels(pool: bool) -> Mapping[str, str]:
    """Column key → Japanese label, for attaching a domain error to its column."""
    return {c.key: c.label for c in schema((), pool=pool).columns}


#: The export's columns, in order; the first eleven are the issue's canonical header.
POOL_HEADER = (
    "external_id",
    "name",
    "name_kana",
    "kind",
    "cio_candidate",
    "prefecture_code",
    "skills",
    "experience",
    "available_hours_per_month",
    "work_style",
    "email",
    "phone",
    "qualifications",
    "external_role",
    "areas",
    "employment_start",
    "employment_end",
    "active",
)
NATIONAL_HEADER = tuple(
    k
    for k in POOL_HEADER
    if k not in ("prefecture_code", "areas", "employment_start", "employment_end")
)


def export_row(profile: Talent | NationalListEntry, header: tuple[str, ...]) -> list[object]:
    """One profile as a row of `header` (skills and areas as `;`-separated codes)."""
    values = {
        "skills": ";".join(term.code for term in profile.skills),
        "cio_candidate": "true" if profile.cio_candidate else "false",
        "active": "true" if profile.active else "false",
    }
    if isinstance(profile, Talent):
        values["prefecture_code"] = profile.prefecture.code
        values["areas"] = ";".join(m.lg_code for m in profile.areas)
    return [values[key] if key in values else getattr(profile, key) for key in header]
