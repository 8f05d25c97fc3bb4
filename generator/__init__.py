"""The briefing-site generator."""

import os

# numpy's OpenBLAS starts a thread per core for a matrix product and keeps them spinning for a while
# after it: here that took the second core from the process forked to rank related briefings. Our
# products are small (network.json: 5,000 x 150), so one thread does them as fast. Set before numpy
# loads; an explicit setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
