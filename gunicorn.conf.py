"""gunicorn settings read automatically from the project folder (override on the command line)."""

import gc
import os

# One BLAS thread per worker: gunicorn already runs a process per core, and BLAS threads
# spinning beside the other workers only burn CPU.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def post_worker_init(worker):
    """Load the matcher's libraries, Japanese dictionary and word vectors when a worker
    starts, not on a user's first matching page (a few seconds on a 2-core machine)."""
    import scipy.optimize  # noqa: F401  (the plan's solver)

    from talentpool.matching.analysis import analyzer
    from talentpool.matching.vectors import word_vectors

    word_vectors()
    analyzer().terms("デジタル人材プール")
    # What the worker keeps for its whole life (modules, the app, the dictionary) is
    # frozen out of the cyclic garbage collector's full passes, which otherwise walk it
    # all every few pages (100-300 ms each); see services.matching.bridge.keep_long_lived.
    if os.environ.get("GC_FREEZE", "1") != "0":
        gc.collect()
        gc.freeze()
