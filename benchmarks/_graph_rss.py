"""Peak resident set size of the calling process (standard library only).

Imported by both benchmark workers, including the one running in pecanpy's
numpy<2 venv. ``VmHWM`` of ``/proc/self/status`` is the high-water mark of this
process's own address space, reset by ``exec``. ``ru_maxrss`` from ``wait4`` is
not usable for that on Linux: it is carried over ``exec``, so a child spawned
by a 200 MB parent reports at least ~200 MB even if it never uses them.
"""

import resource


def peak_rss_mb():
    """Peak RSS of this process in MiB (VmHWM; ru_maxrss where /proc is absent)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
