"""The pool and the national list: profiles, their import, export format, search and
history; a talent's personal data and anonymisation."""
