"""Skip-gram half of `bench_subword.py --only speed` (same _run / worker, a
fresh subprocess per configuration), seeds 1..N, gensim then skembed per
seed; prints the rows as JSON and a summary with per-seed differences."""
import os, statistics as st, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import bench_subword as bs
n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
corpus = str(bs.CACHE / "engine_corpus.txt")
rows = [bs._run(dict(impl=impl, sg=1, seed=s, corpus=corpus))
        for s in range(1, n + 1) for impl in ("gensim", "skembed")]
ref = max(r["wps"] for r in rows if r["impl"] == "gensim")
for impl in ("gensim", "skembed"):
    rs = [r for r in rows if r["impl"] == impl]
    best = max(r["wps"] for r in rs)
    print(f"| SG | {impl} | {best:,.0f} | {best / ref:.2f} | " + " | ".join(
        bs._ms([r[k] for r in rs]) for k in ("ws", "ws_all", "sl", "sl_all"))
        + f" | {max(r['train_rss_mb'] for r in rs):.0f} |")
for k in ("ws", "ws_all", "sl", "sl_all"):
    d = [rows[2 * i + 1][k] - rows[2 * i][k] for i in range(n)]
    print(k, " / ".join(f"{x:+.3f}" for x in d), f"mean {st.mean(d):+.3f}")
print("cpu gensim", [round(r["cpu"], 1) for r in rows if r["impl"] == "gensim"],
      "skembed", [round(r["cpu"], 1) for r in rows if r["impl"] == "skembed"],
      "ratio per seed", [round(rows[2*i]["cpu"] / rows[2*i+1]["cpu"], 2) for i in range(n)])
