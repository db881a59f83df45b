"""qa: offline extractive question answering over a folder of press releases.

The library API mirrors the data flow: ``corpus`` reads and cleans releases,
``chunk`` splits them into sentences and chunks, ``embed`` turns text into
vectors, ``store`` saves and loads the index directory, ``retrieve`` finds
passages, ``reader`` points at the answer span in a passage, ``answer`` turns
that into a verbatim answer with citations or an abstention, and
``evaluate`` measures all of it. ``qa.api`` ties the stages together.
"""

__version__ = "0.1.0"

import os as _os

# Before torch starts OpenMP: idle threads sleep instead of spinning. The reader reads on
# two threads, and spinning ones stall it whenever another process holds a core
# (measured: 40 ms p50, 175 ms p95 against 32 / 41 ms passive). Set it to override.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
