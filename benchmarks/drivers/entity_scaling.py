"""The bench's speed rows alone (synthetic, cv=None: 60k x 3 and 1M x 5), for a
checkout: SKEMBED_ROOT=<checkout> python benchmarks/drivers/entity_scaling.py"""
import os, sys
root = os.environ.get("SKEMBED_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(root, "benchmarks")); sys.path.insert(0, root)
import bench_entity as B
B.warm_up(0) if hasattr(B, "warm_up") else None
B.run_scaling([(60000, 3, 3000), (1_000_000, 5, 10000)], 0, print, {})
