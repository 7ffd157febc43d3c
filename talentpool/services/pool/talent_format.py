"""The spreadsheet format of talent (pool and national list): import schema, export rows and
the import template.

Exports are Japanese by default: the columns' Japanese headers and labels for codes (種別
「外部人材」, スキル by name, はい/いいえ). With `codes=True` they carry the canonical English
header and the codes instead, for systems that read the file. The import accepts both, and the
headers prefectures' own sheets use; an export writes exactly the columns the import reads, so
it re-imports without a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import (
    ExternalRole,
    Municipality,
    NationalListEntry,
    Talent,
    TalentKind,
    TaxonomyTerm,
    WorkStyle,
)
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.tabular import (
    Choices,
    Column,
    Schema,
    TemplateColumn,
    parse_bool,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_lg_code,
    parse_list,
    parse_prefecture_code,
    parse_str,
    write_csv,
    write_xlsx,
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


YES, NO = "はい", "いいえ"


def _choice(enum, aliases: Mapping[str, list[str]]):
    """Accept each code, its label (Japanese and English) and the extra aliases."""
    ja, en = enum.texts("ja"), enum.texts("en")
    return parse_choice({code: [ja[code], en[code], *aliases[code]] for code in ja})


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
            ("人材ID", "ID", "外部ID"),
            required=True,
            parser=parse_str(64),
            label_ja=_l("管理番号"),
        ),
        Column(
            "name",
            ("名前", "氏名・企業名", "企業名"),
            required=True,
            parser=parse_str(100),
            label_ja=_l("氏名"),
        ),
        Column(
            "name_kana",
            ("フリガナ", "よみがな", "カナ"),
            parser=parse_str(100),
            label_ja=_l("ふりがな"),
        ),
        Column(
            "kind",
            ("区分",),
            required=True,
            parser=_choice(TalentKind, KIND_ALIASES),
            label_ja=_l("種別"),
        ),
        Column(
            "cio_candidate", ("CIO補佐官等候補",), parser=parse_bool, label_ja=_l("CIO補佐官候補")
        ),
        Column(
            "external_role",
            ("役割",),
            parser=_choice(ExternalRole, EXTERNAL_ROLE_ALIASES),
            label_ja=_l("スキル標準の役割"),
        ),
        Column(
            "skills",
            ("専門分野", "スキル・重点分野"),
            parser=parse_list(lookup=skill_lookup),
            label_ja=_l("スキル"),
        ),
        Column(
            "experience",
            ("経歴",),
            parser=parse_str(10_000, multiline=True),
            label_ja=_l("職務経歴"),
        ),
        Column(
            "qualifications",
            ("保有資格",),
            parser=parse_str(2_000, multiline=True),
            label_ja=_l("資格"),
        ),
        Column(
            "available_hours_per_month",
            ("稼働可能時間", "月間稼働可能時間", "稼働時間(月)"),
            parser=parse_int(min=0, max=MAX_HOURS_PER_MONTH),
            label_ja=_l("稼働可能時間(月)"),
        ),
        Column(
            "work_style",
            ("働き方",),
            parser=_choice(WorkStyle, WORK_STYLE_ALIASES),
            label_ja=_l("勤務形態"),
        ),
        Column(
            "email",
            ("メール", "e-mail", "電子メール"),
            parser=parse_email,
            label_ja=_l("メールアドレス"),
        ),
        Column("phone", ("電話",), parser=parse_str(30), label_ja=_l("電話番号")),
        Column("active", ("状態", "稼働中"), parser=parse_bool, label_ja=_l("有効")),
    ]
    if pool:
        columns += [
            Column(
                "prefecture_code",
                ("都道府県",),
                parser=parse_prefecture_code,
                label_ja=_l("都道府県コード"),
            ),
            Column(
                "areas",
                ("対応市町村", "対応可能地域"),
                parser=_lg_codes,
                label_ja=_l("対応地域(市町村コード)"),
            ),
            Column(
                "employment_start",
                ("雇用開始", "採用日"),
                parser=parse_date,
                label_ja=_l("雇用開始日"),
            ),
            Column(
                "employment_end",
                ("雇用終了", "退職日"),
                parser=parse_date,
                label_ja=_l("雇用終了日"),
            ),
        ]
    return Schema(columns, unique=("external_id",))


def labels(pool: bool) -> Mapping[str, str]:
    """Column key → Japanese label, for attaching a domain error to its column."""
    return {c.key: c.label for c in schema((), pool=pool).columns}


#: The export's columns, in order (the canonical English header).
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


def export_header(header: tuple[str, ...], *, codes: bool = False) -> list[str]:
    """The header row: Japanese column names, or the canonical keys with `codes`."""
    if codes:
        return list(header)
    names = {c.key: c.header for c in schema((), pool=True).columns}
    return [names[key] for key in header]


class ExportRows:
    """Profiles as rows of `header`: Japanese labels, or codes with `codes` (skills and areas
    `;`-separated either way; areas always as municipality codes)."""

    def __init__(self, header: tuple[str, ...], *, codes: bool = False) -> None:
        self.header = header
        self.codes = codes
        self.labels = {
            "kind": TalentKind.texts(),
            "work_style": WorkStyle.texts(),
            "external_role": ExternalRole.texts(),
        }

    def _label(self, key: str, code: str | None) -> str:
        if code is None or self.codes:
            return code or ""
        return self.labels[key].get(code, code)

    def _flag(self, value: bool) -> str:
        if self.codes:
            return "true" if value else "false"
        return YES if value else NO

    def row(self, profile: Talent | NationalListEntry) -> list[object]:
        values = {
            "skills": ";".join(t.code if self.codes else t.label_ja for t in profile.skills),
            "cio_candidate": self._flag(profile.cio_candidate),
            "active": self._flag(profile.active),
            **{key: self._label(key, getattr(profile, key)) for key in self.labels},
        }
        if isinstance(profile, Talent):
            values["prefecture_code"] = profile.prefecture.code
            values["areas"] = ";".join(m.lg_code for m in profile.areas)
        return [values[key] if key in values else getattr(profile, key) for key in self.header]


def template_columns(
    terms: Iterable[TaxonomyTerm], municipalities: Iterable[Municipality] | None
) -> list[TemplateColumn]:
    """The import template's columns: the pool's (with `municipalities` of the prefecture) or
    the national list's (None), Japanese headers, drop-downs for the coded columns."""
    pool = municipalities is not None
    flags = Choices([(YES, "true"), (NO, "false")])

    def coded(enum) -> Choices:
        return Choices([(label, code) for code, label in enum.texts().items()])

    choices = {
        "kind": coded(TalentKind),
        "work_style": coded(WorkStyle),
        "external_role": coded(ExternalRole),
        "cio_candidate": flags,
        "active": flags,
        "skills": Choices([(t.label_ja, t.code) for t in terms], strict=False),
    }
    if pool:
        choices["areas"] = Choices([(m.lg_code, m.name) for m in municipalities], strict=False)
    hints = {  # file content, Japanese like the headers
        "external_id": "必須。同じ管理番号の行は登録済みの人材を更新します。",
        "name": "必須。",
        "kind": "必須。一覧から選びます。",
        "skills": "一覧から選ぶか、複数を「;」で区切って入力します。",
        "areas": "市町村コードを「;」で区切って入力します。空欄は県内全域。",
        "available_hours_per_month": f"0〜{MAX_HOURS_PER_MONTH} の整数。",
        "employment_start": "常勤職員の雇用開始日(2026/4/1、令和8年4月1日 など)。",
    }
    columns = schema((), pool=pool).columns
    by_key = {c.key: c for c in columns}
    return [
        TemplateColumn(
            by_key[key].header,
            hint=hints.get(key, ""),
            choices=choices.get(key),
            text=key in ("external_id", "prefecture_code", "areas", "phone"),
            width=30 if key in ("skills", "experience", "qualifications") else 16,
        )
        for key in (POOL_HEADER if pool else NATIONAL_HEADER)
    ]


def export_file(
    profiles: Iterable[Talent | NationalListEntry],
    header: tuple[str, ...],
    fmt: str,
    *,
    codes: bool = False,
) -> bytes:
    """Profiles as an .xlsx or CSV file (the web export and the CLI write the same bytes)."""
    rows = ExportRows(header, codes=codes)
    data = [rows.row(p) for p in profiles]
    head = export_header(header, codes=codes)
    if fmt == "xlsx":
        title = "人材プール" if "prefecture_code" in header else "国のリスト"
        return write_xlsx(head, data, sheet_title=title)
    return write_csv(head, data)


def export_options(query):
    """The pool query with what an export row reads loaded up front (no query per row)."""
    return query.options(
        selectinload(Talent.skills), selectinload(Talent.areas), selectinload(Talent.prefecture)
    )


def ordered_terms() -> list[TaxonomyTerm]:
    """The taxonomy in its own order (the template's skill list)."""
    return list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.position)))
