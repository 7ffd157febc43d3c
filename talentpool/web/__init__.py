"""Web helpers every area shares (no blueprint of its own).

actions (run a service call, commit or roll back, attach the error), imports (the one
upload → preview → commit flow), downloads (file_response), confirm (the confirmation step),
form_fields, lists (filter choices, paging), profiles (what the pool and the national list
share), labels, nav, templating (filters and globals), account_mail (links in account mail).
An area's own helpers stay in its package; anything two areas need lives here.
"""
