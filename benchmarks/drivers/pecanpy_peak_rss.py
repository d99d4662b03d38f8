"""Peak RSS of pecanpy + gensim on a graph too large for a full timed run
(issue #15: ProNE's "peak memory below pecanpy's" on the 1 M-edge graph).

Runs ``_graph_worker_pecanpy.py`` (bench_graph's settings: 10 walks of 80
nodes, d=128, window 10, one thread) in pecanpy's venv, reads the child's
``VmHWM`` from ``/proc`` every 0.5 s, and stops it once the walks are done
and the high-water mark has not grown for ``--plateau`` seconds of gensim
(gensim's training allocates nothing per epoch: the peak is reached by then).
Prints the peak, the CPU-s so far and the worker's phase lines; with
``--full`` it lets the run finish instead.

    python benchmarks/drivers/pecanpy_peak_rss.py dcsbm1m \
        --pecanpy-python /work/venvs/pecanpy/bin/python
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)

import _graph_common as gc  # noqa: E402


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmHWM:", "VmRSS:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024.0
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    out["cpu_s"] = (int(fields[11]) + int(fields[12])) / ticks  # utime+stime
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graph")
    ap.add_argument("--pecanpy-python", required=True)
    ap.add_argument("--plateau", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--full", action="store_true")
    args = ap.parse_args()
    g = gc.load_graph(args.graph, log=lambda *a: None)
    work = os.path.join(gc.CACHE_DIR, "runs")
    os.makedirs(work, exist_ok=True)
    prefix = os.path.join(work, f"{args.graph}_pecanpy_rss")
    cfg = dict(edg_path=g.edg_path, out_prefix=prefix, mode="FirstOrderUnweighted",
               p=1.0, q=1.0, n_walks=10, walk_length=80, n_components=128,
               window=10, negative=5, n_epochs=1, n_jobs=1,
               random_state=args.seed)
    with open(prefix + "_config.json", "w") as fh:
        json.dump(cfg, fh)
    env = gc.child_env(n_threads=1)
    env.pop("PYTHONPATH", None)
    log_path = prefix + ".log"
    t0 = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [args.pecanpy_python, os.path.join(BENCH, "_graph_worker_pecanpy.py"),
             prefix + "_config.json"], stdout=log, stderr=subprocess.STDOUT,
            env=env)
        peak, last_growth, walks_done, last = 0.0, time.perf_counter(), None, {}
        stopped = False
        while proc.poll() is None:
            try:
                last = status(proc.pid)
            except (OSError, IndexError):
                break
            if last.get("VmHWM", 0) > peak + 1:
                peak, last_growth = last["VmHWM"], time.perf_counter()
            if walks_done is None and "walks:" in open(log_path).read():
                walks_done = time.perf_counter()
            if (not args.full and walks_done is not None
                    and time.perf_counter() - max(walks_done, last_growth)
                    > args.plateau):
                proc.kill()
                stopped = True
                break
            time.sleep(0.5)
        proc.wait()
    rec = dict(graph=args.graph, n_nodes=g.n_nodes, n_edges=int(len(g.edges)),
               method="pecanpy-FirstOrderUnweighted", seed=args.seed,
               peak_rss_mb=round(peak, 1), cpu_s_when_stopped=last.get("cpu_s"),
               wall_s=round(time.perf_counter() - t0, 1), stopped_early=stopped,
               returncode=proc.returncode, phases=open(log_path).read().splitlines())
    print(json.dumps(rec, indent=1))
    with open(os.path.join(BENCH, "results", "pecanpy_peak_rss.jsonl"), "a") as fh:
        fh.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
