"""Labels of profile codes as template variables (the labels themselves live on the enums)."""

from talentpool.models import EnrollmentStatus, ExternalRole, TalentKind, WorkStyle
from talentpool.services.pool import talent_format

KIND_LABELS = TalentKind.labels()
WORK_STYLE_LABELS = WorkStyle.labels()
EXTERNAL_ROLE_LABELS = ExternalRole.labels()
ENROLLMENT_STATUS_LABELS = EnrollmentStatus.labels()


def template_labels() -> dict:
    """The labels as template variables (a blueprint context processor)."""
    return {
        "kind_labels": KIND_LABELS,
        "work_style_labels": WORK_STYLE_LABELS,
        "external_role_labels": EXTERNAL_ROLE_LABELS,
        "enrollment_status_labels": ENROLLMENT_STATUS_LABELS,
        "import_columns": import_columns,
    }


def import_columns(pool: bool):
    """The import file's columns (for the import pages' column list)."""
    return talent_format.schema((), pool=pool).columns
