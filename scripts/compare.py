#!/usr/bin/env python3
"""The paper's comparison (MGRPO.md section 7) on the built-in environment.

For each seed: M-GRPO co-training runs the whole experiment (warm start,
stage 1, stage 2); main-only and unaligned M-GRPO start stage 2 from that
run's stage-1 checkpoint (--stage1-from); the single agent runs its own
warm start and stage 1 on the single-agent topology. Then prints a table of
final stage-2 training reward and held-out accuracy per algorithm (mean and
spread over seeds), and writes curves.csv and, when matplotlib is installed,
curves.png.

    scripts/compare.py --out compare-runs [--seeds 0 1 2] [--steps N] [--stage1-steps N]
                       [--warm-steps N] [--reading-steps N] [--mgrpo build/cli/mgrpo] [--db FILE]
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALGORITHMS = [  # (name, experiment file, shares M-GRPO's stage 1)
    ("mgrpo", "paper-cpu.json", False),
    ("main-only", "main-only.json", True),
    ("mgrpo-unaligned", "mgrpo-unaligned.json", True),
    ("single-agent", "single-agent.json", False),
]


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def with_overrides(experiment, args):
    """A temporary experiment file that extends `experiment` with the budget options."""
    patch = {"extends": os.path.join(ROOT, "experiments", experiment)}
    if args.stage1_steps is not None:
        patch["curriculum"] = {"stage1_steps": args.stage1_steps}
    if args.warm_steps is not None:
        patch["warm_start"] = {"steps": args.warm_steps}
    if args.warm_demos is not None:
        patch.setdefault("warm_start", {})["demonstrations"] = args.warm_demos
    if args.reading_steps is not None:
        patch.setdefault("warm_start", {})["reading_steps"] = args.reading_steps
    if args.eval_queries is not None:
        patch["eval_queries"] = args.eval_queries
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, dir=args.out)
    json.dump(patch, f)
    f.close()
    return f.name


def read_metrics(run_dir):
    """{(phase, step): {name: value}}; a resumed run's repeated steps keep their last values."""
    rows = {}
    with open(os.path.join(run_dir, "metrics.csv")) as f:
        for r in csv.DictReader(f):
            rows.setdefault((r["phase"], int(r["step"])), {})[r["name"]] = float(r["value"])
    return rows


def read_evaluations(run_dir):
    with open(os.path.join(run_dir, "evaluations.csv")) as f:
        return [r for r in csv.DictReader(f)]


def summarise(run_dir, last):
    metrics = read_metrics(run_dir)
    stage2 = sorted((step, m) for (phase, step), m in metrics.items() if phase == "stage2")
    rewards = [m["main/reward_mean"] for _, m in stage2]
    evals = [e for e in read_evaluations(run_dir) if e["phase"] == "stage2"]
    warm = [e for e in read_evaluations(run_dir) if e["phase"] == "warm-start" and e["stage"] == "2"]
    return {
        "final_reward": statistics.mean(rewards[-last:]) if rewards else float("nan"),
        "first_reward": statistics.mean(rewards[:last]) if rewards else float("nan"),
        "heldout_accuracy": float(evals[-1]["accuracy"]) if evals else float("nan"),
        "warm_accuracy": float(warm[-1]["accuracy"]) if warm else float("nan"),
        "curve": [(step, m["main/reward_mean"]) for step, m in stage2],
    }


def spread(values):
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--steps", type=int, help="stage-2 steps (default: the experiment's)")
    p.add_argument("--stage1-steps", type=int)
    p.add_argument("--warm-steps", type=int)
    p.add_argument("--warm-demos", type=int)
    p.add_argument("--reading-steps", type=int)
    p.add_argument("--eval-queries", type=int)
    p.add_argument("--last", type=int, default=10, help="final reward = mean of the last N stage-2 steps")
    p.add_argument("--algorithms", nargs="+", default=[a for a, _, _ in ALGORITHMS])
    p.add_argument("--mgrpo", default=os.path.join(ROOT, "build", "cli", "mgrpo"))
    p.add_argument("--db", help="history database (default: --no-db)")
    p.add_argument("--report-only", action="store_true", help="only summarise runs already in --out")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)

    results = {}
    for seed in args.seeds:
        for name, experiment, shares_stage1 in ALGORITHMS:
            if name not in args.algorithms:
                continue
            run_dir = os.path.join(args.out, f"{name}-seed{seed}")
            if not args.report_only and not os.path.exists(os.path.join(run_dir, "final_topology.json")):
                cmd = [args.mgrpo, "resume", run_dir] if os.path.exists(os.path.join(run_dir, "experiment.json")) else [
                    args.mgrpo, "run", with_overrides(experiment, args), "--seed", str(seed), "--out", run_dir]
                if cmd[1] == "run":
                    if args.steps is not None:
                        cmd += ["--steps", str(args.steps)]
                    if shares_stage1:
                        cmd += ["--stage1-from", os.path.join(args.out, f"mgrpo-seed{seed}")]
                cmd += ["--db", args.db] if args.db else (["--no-db"] if cmd[1] == "run" else [])
                run(cmd)
            if os.path.exists(os.path.join(run_dir, "metrics.csv")):
                results[(name, seed)] = summarise(run_dir, args.last)

    print()
    print(f"{'algorithm':<18} {'seeds':>5}  {'stage-2 reward, first':>22}  {'stage-2 reward, final':>22}  "
          f"{'held-out acc (stage 2)':>22}")
    for name in args.algorithms:
        rs = [r for (n, _), r in results.items() if n == name]
        print(f"{name:<18} {len(rs):>5}  {spread([r['first_reward'] for r in rs]):>22}  "
              f"{spread([r['final_reward'] for r in rs]):>22}  {spread([r['heldout_accuracy'] for r in rs]):>22}")

    with open(os.path.join(args.out, "curves.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["algorithm", "seed", "step", "main_reward_mean"])
        for (name, seed), r in sorted(results.items()):
            for step, value in r["curve"]:
                w.writerow([name, seed, step, value])
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed (apt-get install python3-matplotlib): curves.png skipped", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, name in enumerate(args.algorithms):
        for j, ((n, seed), r) in enumerate(sorted(x for x in results.items() if x[0][0] == name)):
            steps, values = zip(*r["curve"]) if r["curve"] else ((), ())
            ax.plot(steps, values, color=f"C{i}", alpha=0.8, label=name if j == 0 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("stage-2 training reward R_M (mean over rollouts)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "curves.png"), dpi=110)
    print("wrote", os.path.join(args.out, "curves.csv"), "and curves.png")


if __name__ == "__main__":
    main()
