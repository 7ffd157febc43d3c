"""Import of DX leaders' enrolments and completions from .xlsx/CSV, and export per fiscal year.

An import runs every row through the same services as the forms, each row in its own savepoint,
so a preview is an exact rehearsal (rolled back) and a commit either applies every row or — on
request — only the rows without errors (services.imports). Leaders are matched by
(municipality, name) and created when new. Importing the same file twice changes nothing the
second time; the preview lists what each row adds or changes (old → new).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import (
    Audience,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    Municipality,
    TrainingProgram,
)
from talentpool.services.errors import DomainError
from talentpool.services.import_changes import FieldChange, RowChange, shown
from talentpool.services.imports import ImportMode, ImportReport, read_rows, rehearse
from talentpool.services.training import programs as training
from talentpool.tabular import (
    Choices,
    Column,
    Schema,
    TemplateColumn,
    parse_choice,
    parse_date,
    parse_email,
    parse_lg_code,
    parse_str,
    write_template,
)
from talentpool.text import search_key

STATUS_SPELLINGS = {
    EnrollmentStatus.enrolled: ["受講中", "受講", "在籍"],
    EnrollmentStatus.completed: ["修了", "修了済", "完了"],
    EnrollmentStatus.withdrawn: ["辞退", "中止", "取消"],
}


def _status_parser(value):
    """受講中/修了/辞退 and their other spellings, the codes, and the English labels."""
    english = EnrollmentStatus.texts("en")
    return parse_choice({s: [*STATUS_SPELLINGS[s], english[s]] for s in STATUS_SPELLINGS})(value)


SCHEMA = Schema(
    [
        Column(
            "municipality_code",
            ("市町村コード", "lg_code"),
            parser=parse_lg_code,
            label_ja=_l("団体コード"),
        ),
        Column("leader_name", ("name",), required=True, parser=parse_str(100), label_ja=_l("氏名")),
        Column("department", ("所属課",), parser=parse_str(100), label_ja=_l("所属")),
        Column("position", ("職名",), parser=parse_str(100), label_ja=_l("役職")),
        Column("email", ("メール",), parser=parse_email, label_ja=_l("メールアドレス")),
        Column("program", ("研修",), required=True, parser=parse_str(200), label_ja=_l("研修名")),
        Column("status", ("受講状況",), parser=_status_parser, label_ja=_l("状態")),
        Column("enrolled_on", ("受講日",), parser=parse_date, label_ja=_l("受講開始日")),
        Column("completed_on", (), parser=parse_date, label_ja=_l("修了日")),
        Column("certificate_number", (), parser=parse_str(64), label_ja=_l("修了証番号")),
        Column("withdrawn_on", (), parser=parse_date, label_ja=_l("辞退日")),
    ]
)
#: What a row changes on an existing record, in the preview's order.
RECORD_FIELDS = ("status", "enrolled_on", "completed_on", "certificate_number", "withdrawn_on")

#: Export columns: the import's own headers, so an exported file can be imported again.
EXPORT_HEADERS = [
    "年度",
    "団体コード",
    "市町村名",
    "氏名",
    "所属",
    "役職",
    "研修名",
    "状態",
    "受講開始日",
    "修了日",
    "修了証番号",
    "辞退日",
]


@dataclass(frozen=True)
class Scope:
    """Whose leaders an import may touch: a prefecture's municipalities, or one municipality."""

    prefecture_id: int
    municipality_id: int | None = None


def import_file(
    data: bytes,
    filename: str,
    scope: Scope,
    *,
    mode: ImportMode = ImportMode.all_or_nothing,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Preview (`dry_run`) or import a file; see the module docstring. The caller commits."""
    report = ImportReport()
    rows = read_rows(data, filename, SCHEMA, report)
    if report.unusable:
        return report
    labels = {c.key: c.label for c in SCHEMA.columns}
    return rehearse(
        rows,
        lambda values: _apply(values, scope, report, today),
        report,
        label_of=lambda key: labels.get(key or "", ""),
        mode=mode,
        dry_run=dry_run,
    )


def _municipality(values: dict, scope: Scope) -> Municipality:
    code = values.get("municipality_code")
    if code is None:
        if scope.municipality_id is None:
            raise DomainError(_l("団体コードを入力してください。"), "municipality_code")
        return db.session.get(Municipality, scope.municipality_id)
    municipality = db.session.scalar(select(Municipality).where(Municipality.lg_code == code))
    in_scope = municipality is not None and (
        municipality.id == scope.municipality_id
        if scope.municipality_id is not None
        else municipality.prefecture_id == scope.prefecture_id
    )
    if not in_scope:
        raise DomainError(
            _l("団体コード『%(code)s』は取り込める市町村ではありません。", code=code),
            "municipality_code",
        )
    return municipality


def find_program(name: str, prefecture_id: int, day: date | None) -> TrainingProgram:
    """The DX-leader program of that name; among same-named yearly editions, the one of the
    fiscal year of `day` (else the one without a year)."""
    key = search_key(name)
    candidates = [
        p
        for p in db.session.scalars(
            select(TrainingProgram).where(
                training.programs_visible_in(prefecture_id),
                TrainingProgram.audience == Audience.dx_leader,
            )
        )
        if search_key(p.name) == key
    ]
    if not candidates:
        raise DomainError(
            _l(
                "研修『%(name)s』は登録されていません(DX推進リーダー向けの研修名を"
                "入力してください)。",
                name=name,
            ),
            "program",
        )
    if len(candidates) == 1:
        return candidates[0]
    year = fiscal.fiscal_year(day) if day else None
    for wanted in (year, None):
        match = [p for p in candidates if p.fiscal_year == wanted]
        if len(match) == 1:
            return match[0]
    raise DomainError(
        _l(
            "研修『%(name)s』が複数の年度にあり、どれか決められません。"
            "受講開始日か修了日を入力してください。",
            name=name,
        ),
        "program",
    )


def _status(values: dict) -> str:
    if values.get("status"):
        return values["status"]
    if values.get("completed_on"):
        return EnrollmentStatus.completed
    if values.get("withdrawn_on"):
        return EnrollmentStatus.withdrawn
    return EnrollmentStatus.enrolled


def _record_values(record: Enrollment) -> dict[str, object]:
    return {key: getattr(record, key) for key in RECORD_FIELDS}


def _show(key: str, value: object) -> object:
    if key == "status":
        return EnrollmentStatus.label_of(value, shown(None))
    return shown(value)


def _apply(values: dict, scope: Scope, report: ImportReport, today: date | None) -> RowChange:
    municipality = _municipality(values, scope)
    status = _status(values)
    if status == EnrollmentStatus.completed and not values.get("completed_on"):
        raise DomainError(_l("状態が修了の行には修了日が必要です。"), "completed_on")
    if status == EnrollmentStatus.withdrawn and not values.get("withdrawn_on"):
        raise DomainError(_l("状態が辞退の行には辞退日が必要です。"), "withdrawn_on")
    day = values.get("enrolled_on") or values.get("completed_on") or values.get("withdrawn_on")
    program = find_program(values["program"], scope.prefecture_id, day)
    leader = training.find_leader(municipality.id, values["leader_name"])
    if leader is None:
        leader = training.add_leader(
            municipality_id=municipality.id,
            name=values["leader_name"],
            department=values.get("department"),
            position=values.get("position"),
            email=values.get("email"),
        )
        report.created_leaders += 1
    outcome = RowChange(0, leader.name, program.name, "unchanged", (), municipality.name)
    record, unchanged = _match(leader, program, status, values)
    if unchanged:
        return outcome
    before = None
    if record is None:
        record = training.enroll(
            program=program,
            dx_leader=leader,
            enrolled_on=values.get("enrolled_on"),
            past_record=status != EnrollmentStatus.enrolled,
        )
        outcome.action = "create"
    else:
        before = _record_values(record)
        outcome.action = "update"
    if status == EnrollmentStatus.completed:
        training.complete(
            record,
            completed_on=values["completed_on"],
            certificate_number=values.get("certificate_number"),
            today=today,
        )
    elif status == EnrollmentStatus.withdrawn:
        training.withdraw(record, withdrawn_on=values["withdrawn_on"], today=today)
    if before is not None:
        labels = {c.key: c.label for c in SCHEMA.columns}
        after = _record_values(record)
        outcome.changes = [
            FieldChange(labels[key], _show(key, before[key]), _show(key, after[key]))
            for key in RECORD_FIELDS
            if before[key] != after[key]
        ]
    return outcome


def _match(
    leader: DxLeader, program: TrainingProgram, status: str, values: dict
) -> tuple[Enrollment | None, bool]:
    """The record a row speaks about and whether it already says what the row says.

    A finished row matches the record finished that day; otherwise the open record (to be
    finished now), else none (a new record). An enrolment row matches the open record, or any
    record that started that day.
    """
    query = select(Enrollment).where(
        Enrollment.dx_leader_id == leader.id, Enrollment.program_id == program.id
    )
    open_record = db.session.scalar(query.where(Enrollment.status == EnrollmentStatus.enrolled))
    if status == EnrollmentStatus.enrolled:
        if open_record is not None:
            return open_record, True
        started = values.get("enrolled_on")
        same = started and db.session.scalar(
            query.where(Enrollment.enrolled_on == started).limit(1)
        )
        return None, bool(same)
    day_column = (
        Enrollment.completed_on if status == EnrollmentStatus.completed else Enrollment.withdrawn_on
    )
    day = values[day_column.key]
    same = db.session.scalar(query.where(Enrollment.status == status, day_column == day).limit(1))
    if same is not None:
        return same, True
    return open_record, False


# --- export -----------------------------------------------------------------------------


def export_rows(scope: Scope, year: int) -> list[list[object]]:
    """DX leaders' training records touching fiscal `year` (enrolled, completed or withdrawn in
    it, or a program of that year), in the import's column order."""
    first, last = fiscal.bounds(year)

    def within(column):
        return (column >= first) & (column <= last)

    query = (
        select(Enrollment)
        .join(Enrollment.dx_leader)
        .join(DxLeader.municipality)
        .join(Enrollment.program)
        .where(
            or_(
                within(Enrollment.enrolled_on),
                within(Enrollment.completed_on),
                within(Enrollment.withdrawn_on),
                TrainingProgram.fiscal_year == year,
            )
        )
        .order_by(Municipality.lg_code, DxLeader.name, Enrollment.enrolled_on, Enrollment.id)
    )
    if scope.municipality_id is not None:
        query = query.where(DxLeader.municipality_id == scope.municipality_id)
    else:
        query = query.where(Municipality.prefecture_id == scope.prefecture_id)
    rows = []
    for record in db.session.scalars(query):
        leader = record.dx_leader
        rows.append(
            [
                fiscal.label(year, "ja"),
                leader.municipality.lg_code,
                leader.municipality.name,
                leader.name,
                leader.department,
                leader.position,
                record.program.name,
                STATUS_SPELLINGS[EnrollmentStatus(record.status)][0],
                record.enrolled_on,
                record.completed_on,
                record.certificate_number,
                record.withdrawn_on,
            ]
        )
    return rows


def template_file(scope: Scope) -> bytes:
    """The import template: the import's headers, drop-downs for the municipality, the program
    and the state, and the codes sheet."""
    municipalities = db.session.scalars(
        select(Municipality)
        .where(
            Municipality.id == scope.municipality_id
            if scope.municipality_id is not None
            else Municipality.prefecture_id == scope.prefecture_id
        )
        .order_by(Municipality.lg_code)
    )
    programs = db.session.scalars(
        select(TrainingProgram.name)
        .where(
            training.programs_visible_in(scope.prefecture_id),
            TrainingProgram.audience == Audience.dx_leader,
        )
        .distinct()
        .order_by(TrainingProgram.name)
    )
    statuses = EnrollmentStatus.texts()
    choices = {
        "municipality_code": Choices([(m.lg_code, m.name) for m in municipalities]),
        "program": Choices([(name, "") for name in programs]),
        "status": Choices([(statuses[s], s) for s in EnrollmentStatus]),
    }
    hints = {  # file content, Japanese like the headers
        "leader_name": "必須。団体コードと氏名で照合し、未登録なら新しく登録します。",
        "program": "必須。一覧の研修名から選びます。",
        "status": "省略時は修了日があれば修了、辞退日があれば辞退、どちらもなければ受講中。",
    }
    return write_template(
        [
            TemplateColumn(
                column.header,
                hint=hints.get(column.key, ""),
                choices=choices.get(column.key),
                text=column.key == "municipality_code",
                width=30 if column.key == "program" else 14,
            )
            for column in SCHEMA.columns
        ],
        sheet_title="受講・修了",
    )
