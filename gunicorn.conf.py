"""gunicorn settings read automatically from the project folder (override on the command line)."""


def post_worker_init(worker):
    """Load the matcher's scientific libraries when a worker starts, not on a user's first
    matching page (about 2 s on a 2-core machine)."""
    import talentpool.matching  # noqa: F401  (scikit-learn and SciPy come with it)
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401
