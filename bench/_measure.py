"""`python bench/_measure.py RESULT.json CMD...`: runs CMD and writes its wall time, peak RSS and CPU time.

Why a launcher: a child forked straight from the benchmark (which holds the simulated archive, hundreds
of MB at 1,000 vendors) has the benchmark's pages counted in its peak RSS until it execs. Forked from
this small process instead, CMD's ru_maxrss (wait4) is its own.
"""

import json
import os
import subprocess
import sys
import time

result_path, cmd = sys.argv[1], sys.argv[2:]
started = time.monotonic()
child = subprocess.Popen(cmd)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = code = os.waitstatus_to_exitcode(status)
with open(result_path, "w") as out:
    json.dump({"wall": time.monotonic() - started, "peak_kb": usage.ru_maxrss,
               "cpu": usage.ru_utime + usage.ru_stime, "exit": code}, out)
sys.exit(code if code >= 0 else 1)
