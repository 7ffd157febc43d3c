"""Import and export of support requests (.xlsx / CSV), and the import template.

Import is one function for the web preview, the web commit and the CLI: every row is applied
through the same services as the form, each in its own savepoint, and the whole run is kept or
rolled back at the end (dry run, or all-or-nothing with errors; see services.imports). Rows
upsert on (prefecture, external_id); an update lists the fields it changes, old → new.

Exports are Japanese by default (the columns' Japanese headers, はい/いいえ, skills by name);
with `codes=True` they carry the canonical English header and codes. The import reads both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import (
    Funding,
    Municipality,
    Prefecture,
    Role,
    SupportRequest,
    TaxonomyTerm,
    User,
)
from talentpool.services.errors import DomainError
from talentpool.services.import_changes import FieldChange, RowChange, shown
from talentpool.services.imports import ImportMode, ImportReport, read_rows, rehearse
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.requests.support_requests import (
    FIELD_LABELS,
    FIELDS,
    MAX_DESCRIPTION,
    MAX_HEADCOUNT,
    apply_transition,
    clean_text,
    create_request,
    update_request,
)
from talentpool.tabular import (
    Choices,
    Column,
    Parser,
    Schema,
    TemplateColumn,
    parse_bool,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_lg_code,
    parse_list,
    parse_str,
    write_csv,
    write_template,
    write_xlsx,
)
from talentpool.tabular import messages as msg

#: The canonical header, in order; exports write exactly these columns.
HEADER = (
    "external_id",
    "municipality_code",
    "title",
    "description",
    "skills",
    "hours_per_month",
    "headcount",
    "onsite_required",
    "wants_cio",
    "start_date",
    "end_date",
)
YES, NO = "はい", "いいえ"


def _text(max_length: int) -> Parser:
    return parse_str(max_length)


def _long_text(max_length: int) -> Parser:
    """Multi-line text kept as written (see support_requests.clean_text)."""

    def parser(value):
        text = clean_text(value.isoformat() if isinstance(value, date) else value, multiline=True)
        if len(text) > max_length:
            raise ValueError(msg.TOO_LONG.format(max_length=max_length, length=len(text)))
        return text or None

    return parser


def request_schema(terms: Iterable[TaxonomyTerm] | None = None) -> Schema:
    """The import columns; skills accept taxonomy codes and Japanese labels (of `terms`, by
    default the database's)."""
    lookup: dict[str, str] = {}
    for term in db.session.scalars(select(TaxonomyTerm)) if terms is None else terms:
        lookup.update({term.code: term.code, term.label_ja: term.code, term.label_en: term.code})
    ja, en = Funding.texts("ja"), Funding.texts("en")
    funding = {code: [ja[code], en[code]] for code in ja}
    return Schema(
        columns=(
            Column("external_id", ("依頼ID",), True, _text(64), _l("管理番号")),
            Column(
                "municipality_code",
                ("市町村コード", "全国地方公共団体コード"),
                True,
                parse_lg_code,
                _l("団体コード"),
            ),
            Column("title", ("依頼名",), True, _text(200), _l("件名")),
            Column("description", ("内容",), False, _long_text(MAX_DESCRIPTION), _l("依頼内容")),
            Column(
                "skills",
                ("重点取組", "重点取組・スキル"),
                False,
                parse_list(lookup=lookup),
                _l("スキル"),
            ),
            Column(
                "hours_per_month",
                ("月間稼働時間", "時間/月"),
                True,
                parse_int(min=1, max=MAX_HOURS_PER_MONTH),
                _l("月間時間"),
            ),
            Column(
                "headcount", ("募集人数",), False, parse_int(min=1, max=MAX_HEADCOUNT), _l("人数")
            ),
            Column("onsite_required", ("現地対応",), False, parse_bool, _l("現地対応必須")),
            Column("wants_cio", ("CIO補佐官",), False, parse_bool, _l("CIO補佐官希望")),
            Column("start_date", ("開始",), False, parse_date, _l("開始日")),
            Column("end_date", ("終了",), False, parse_date, _l("終了日")),
            # optional extras (not exported): accepted so a municipality's sheet can carry them
            Column("funding", (), False, parse_choice(funding), _l("財源")),
            Column("contact_name", ("担当者",), False, _text(100), _l("担当者名")),
            Column(
                "contact_email", ("担当者メール",), False, parse_email, _l("担当者メールアドレス")
            ),
            Column("contact_phone", ("担当者電話",), False, _text(30), _l("担当者電話番号")),
        ),
        unique=("external_id",),
    )


@dataclass(frozen=True)
class ImportScope:
    """Whose import this is: the upsert key's prefecture and the municipalities it may touch."""

    prefecture_id: int
    municipalities: dict[str, Municipality]
    role: str
    user_id: int | None = None


def scope_for_user(user: User) -> ImportScope:
    """A coordinator imports for the prefecture's municipalities, an officer for their own."""
    municipalities = {m.lg_code: m for m in db.session.scalars(scoping.municipalities_for(user))}
    return ImportScope(user.prefecture_id, municipalities, user.role, user.id)


def scope_for_prefecture(code: str) -> ImportScope:
    """The CLI's scope: every municipality of one prefecture, acting as its coordinator."""
    prefecture = db.session.scalar(select(Prefecture).where(Prefecture.code == code.zfill(2)))
    if prefecture is None:
        raise DomainError(_l("都道府県コード『%(code)s』が見つかりません。", code=code))
    return ImportScope(
        prefecture.id, {m.lg_code: m for m in prefecture.municipalities}, Role.coordinator
    )


_KEY_TO_COLUMN = {"municipality_id": "municipality_code"}


def _stored(item: SupportRequest, key: str) -> Any:
    if key == "skills":
        return [t.code for t in item.skills]
    return getattr(item, key)


def _show(key: str, value: Any) -> Any:
    """A request's field value as the preview shows it."""
    if key == "skills" and value:  # the terms are in the session already (no query each)
        terms = [db.session.get(TaxonomyTerm, code) for code in value]
        return shown([t.label() if t else code for t, code in zip(terms, value, strict=True)])
    if key == "funding":
        return Funding.label_of(value, shown(None))
    if key == "municipality_id" and value:
        return db.session.get(Municipality, value).name
    return shown(value)


def _field_changes(
    before: dict[str, Any], item: SupportRequest, changed: set[str], labels: dict[str, Any]
) -> list[FieldChange]:
    order = list(FIELD_LABELS)
    return [
        FieldChange(
            labels.get(_KEY_TO_COLUMN.get(key, key)) or FIELD_LABELS[key],
            _show(key, before[key]),
            _show(key, _stored(item, key)),
        )
        for key in sorted(changed, key=order.index)
    ]


def _apply_row(
    values: dict, scope: ImportScope, publish: bool, labels: dict[str, Any]
) -> RowChange:
    code = values["municipality_code"]
    municipality = scope.municipalities.get(code)
    if municipality is None:
        exists = db.session.scalar(select(Municipality.id).where(Municipality.lg_code == code))
        if exists:
            message = _l(
                "団体コード『%(code)s』の市町村の依頼は取り込めません(担当範囲外)。", code=code
            )
        else:
            message = _l("団体コード『%(code)s』の市町村が見つかりません。", code=code)
        raise DomainError(message, "municipality_id")
    fields = {k: v for k, v in values.items() if k in FIELDS}
    fields["municipality_id"] = municipality.id
    existing = db.session.scalar(
        select(SupportRequest).where(
            SupportRequest.prefecture_id == scope.prefecture_id,
            SupportRequest.external_id == values["external_id"],
        )
    )
    allowed_ids = {m.id for m in scope.municipalities.values()}
    if existing is not None and existing.municipality_id not in allowed_ids:
        raise DomainError(
            _l(
                "管理番号『%(id)s』は担当範囲外の市町村の依頼で使われています。",
                id=values["external_id"],
            ),
            "external_id",
        )
    changes: list[FieldChange] = []
    if existing is not None:
        before = {key: _stored(existing, key) for key in fields}
        changed = update_request(existing, fields)
        action = "update" if changed else "unchanged"
        changes = _field_changes(before, existing, changed, labels)
    else:
        fields.pop("municipality_id")
        existing = create_request(
            municipality_id=municipality.id, values=fields, created_by_id=scope.user_id
        )
        if publish:
            apply_transition(existing, "publish", scope.role)
        action = "create"
    return RowChange(
        0, existing.external_id or "", existing.title, action, changes, municipality.name
    )


def import_requests(
    data: bytes,
    filename: str,
    scope: ImportScope,
    *,
    mode: ImportMode = ImportMode.all_or_nothing,
    dry_run: bool = False,
    publish: bool = False,
) -> ImportReport:
    """Read, check and apply a request file; see the module docstring.

    `publish` opens newly created requests (they are drafts otherwise).
    """
    report = ImportReport()
    schema = request_schema()
    labels = {c.key: c.label for c in schema.columns}
    rows = read_rows(data, filename, schema, report)
    return rehearse(
        rows,
        lambda values: _apply_row(values, scope, publish, labels),
        report,
        label_of=lambda key: labels.get(_KEY_TO_COLUMN.get(key or "", key or ""), ""),
        mode=mode,
        dry_run=dry_run,
    )


def export_header(*, codes: bool = False) -> list[str]:
    """The header row: Japanese column names, or the canonical keys with `codes`."""
    if codes:
        return list(HEADER)
    names = {c.key: c.header for c in request_schema(()).columns}
    return [names[key] for key in HEADER]


def export_rows(items: Iterable[SupportRequest], *, codes: bool = False) -> list[list[object]]:
    """Rows in the canonical column order: Japanese labels, or codes with `codes`."""

    def flag(value: bool) -> object:
        return value if codes else (YES if value else NO)

    return [
        [
            r.external_id or "",
            r.municipality.lg_code,
            r.title,
            r.description,
            ";".join(t.code if codes else t.label_ja for t in r.skills),
            r.hours_per_month,
            r.headcount,
            flag(r.onsite_required),
            flag(r.wants_cio),
            r.start_date,
            r.end_date,
        ]
        for r in items
    ]


def export_file(items: Iterable[SupportRequest], fmt: str, *, codes: bool = False) -> bytes:
    """The requests as .xlsx or CSV (UTF-8 with BOM), formula-safe; the web export and the CLI
    write the same bytes."""
    rows = export_rows(items, codes=codes)
    header = export_header(codes=codes)
    if fmt == "xlsx":
        return write_xlsx(header, rows, sheet_title="支援依頼")
    return write_csv(header, rows)


def template_file(municipalities: Iterable[Municipality]) -> bytes:
    """The import template: Japanese headers, drop-downs for municipality codes, skills and the
    yes/no columns, and the codes sheet."""
    terms = db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.position))
    flags = Choices([(YES, "true"), (NO, "false")])
    choices = {
        "municipality_code": Choices([(m.lg_code, m.name) for m in municipalities]),
        "skills": Choices([(t.label_ja, t.code) for t in terms], strict=False),
        "onsite_required": flags,
        "wants_cio": flags,
    }
    hints = {  # file content, Japanese like the headers
        "external_id": "必須。同じ管理番号の依頼は更新します。",
        "municipality_code": "必須。6桁の団体コード(一覧から選べます)。",
        "title": "必須。",
        "skills": "一覧から選ぶか、複数を「;」で区切って入力します。"
        "公開には重点取組が1つ以上必要です。",
        "hours_per_month": "必須。1人あたりの月間時間(1以上)。",
        "start_date": "2026/4/1、令和8年4月1日 など。",
    }
    names = {c.key: c.header for c in request_schema(()).columns}
    columns = [
        TemplateColumn(
            names[key],
            hint=hints.get(key, ""),
            choices=choices.get(key),
            text=key in ("external_id", "municipality_code"),
            width=40 if key in ("title", "description", "skills") else 14,
        )
        for key in HEADER
    ]
    return write_template(columns, sheet_title="支援依頼")
