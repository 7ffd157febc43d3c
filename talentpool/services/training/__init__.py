"""Training: programs, DX promotion leaders and enrolments, their import and export, yearly
targets and progress."""
