"""Japanese labels of profile codes, shared by the pool and national-list pages and forms."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "staff": _l("常勤職員(都道府県が雇用)"),
    "external": _l("外部人材"),
    "company": _l("企業"),
}
WORK_STYLE_LABELS = {"onsite": _l("現地"), "remote": _l("リモート"), "hybrid": _l("併用")}
EXTERNAL_ROLE_LABELS = {
    "producer": _l("プロデューサー(CIO補佐官等)"),
    "project_manager": _l("プロジェクトマネージャー"),
    "service_designer": _l("サービスデザイナー"),
    "engineer": _l("エンジニア"),
}
ENROLLMENT_STATUS_LABELS = {
    "enrolled": _l("受講中"),
    "completed": _l("修了"),
    "withdrawn": _l("辞退"),
}


def template_labels() -> dict:
    """The labels as template variables (a blueprint context processor)."""
    return {
        "kind_labels": KIND_LABELS,
        "work_style_labels": WORK_STYLE_LABELS,
        "external_role_labels": EXTERNAL_ROLE_LABELS,
        "enrollment_status_labels": ENROLLMENT_STATUS_LABELS,
    }
