#!/usr/bin/python3
# Debian's python3-matplotlib (curves.png) is visible to /usr/bin/python3 only, not to a pyenv on PATH.
"""The paper's comparison (MGRPO.md section 7) on the built-in environment.

For each seed: M-GRPO co-training runs the whole experiment (warm start,
stage 1, stage 2); main-only and unaligned M-GRPO start stage 2 from that
run's stage-1 checkpoint (--stage1-from); the single agent runs its own
warm start and stage 1 on the single-agent topology. With --from TOPOLOGY
every hierarchy run instead starts its stage 2 from that warm-started
topology (no warm start, no stage 1), so the seeds differ only in RL (the
training questions and the samples); --single-from does the same for the
single agent.

Then prints a table of stage-2 training reward (mean of the first and the
last --last steps) and held-out accuracy per algorithm (mean and population
spread over seeds); with --heldout N, each final policy is also evaluated
greedily on N held-out questions paired with its starting point (gained,
lost, sign test), and compared with M-GRPO question by question; with
--from also the start, for each algorithm's gain averaged over seeds. Runs
of one seed see the same training questions at every step, so the
algorithms are also compared step by step against M-GRPO (mean difference
of R_M over the second half, with its standard error).
Writes curves.csv and, when matplotlib is installed, curves.png.

    scripts/compare.py --out compare-runs [--seeds 0 1 2] [--steps N] [--stage1-steps N]
                       [--warm-steps N] [--reading-steps N] [--from TOPOLOGY] [--heldout N]
                       [--mgrpo build/cli/mgrpo] [--db FILE]
"""
import math
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


def run(cmd, capture=False):
    """Runs cmd, echoed first; returns its standard output when capture is set."""
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE if capture else None, text=True).stdout


def start_topology(name, args):
    """The warm-started topology every run of `name` starts from (--from / --single-from), or None."""
    return args.single_from if name == "single-agent" else args.start_from


def with_overrides(name, experiment, args):
    """A temporary experiment file that extends `experiment` with the budget options."""
    patch = {"extends": os.path.join(ROOT, "experiments", experiment)}
    start = start_topology(name, args)
    if start:
        patch.update({"topology": os.path.abspath(start), "warm_start": {"demonstrations": 0},
                      "curriculum": {"stage1_steps": 0}})
    if args.stage1_steps is not None:
        patch.setdefault("curriculum", {})["stage1_steps"] = args.stage1_steps
    if args.warm_steps is not None:
        patch.setdefault("warm_start", {})["steps"] = args.warm_steps
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
    curve = sorted((step, m["main/reward_mean"]) for (phase, step), m in metrics.items() if phase == "stage2")
    rewards = [v for _, v in curve]
    evals = [e for e in read_evaluations(run_dir) if e["phase"] == "stage2"]
    heldout_path = os.path.join(run_dir, "heldout.json")
    heldout = json.load(open(heldout_path)) if os.path.exists(heldout_path) else None
    return {
        "final_reward": statistics.mean(rewards[-last:]) if rewards else float("nan"),
        "first_reward": statistics.mean(rewards[:last]) if rewards else float("nan"),
        "eval_accuracy": float(evals[-1]["accuracy"]) if evals else float("nan"),
        "heldout": heldout,
        "curve": curve,
    }


def evaluate_heldout(target, path, args, baseline=None):
    """Greedy accuracy of `target` (a run directory or a topology) on --heldout questions, written to
    `path`, paired with `baseline` when given; kept while it covers the same number of questions."""
    if os.path.exists(path) and json.load(open(path)).get("queries") == args.heldout:
        return
    cmd = [args.mgrpo, "evaluate", target, "--stage", "2", "--n", str(args.heldout), "--json"]
    if baseline and os.path.exists(baseline):
        cmd += ["--baseline", baseline]
    result = json.loads(run(cmd, capture=True))
    with open(path + ".tmp", "w") as f:
        json.dump(result, f, indent=1)
    os.replace(path + ".tmp", path)


def paired_questions(a, b):
    """Mean and standard error over questions of a - b, each a list of per-question scores."""
    diffs = [x - y for x, y in zip(a, b)]
    if len(diffs) < 2 or len(a) != len(b):
        return None
    return statistics.mean(diffs), statistics.stdev(diffs) / math.sqrt(len(diffs))


def answers(result):
    """A run's held-out correctness per question, or None without a held-out evaluation."""
    heldout = result["heldout"] if result else None
    return heldout.get("correct") if heldout else None


def seed_mean(rows):
    """Per-question correctness averaged over seeds; None unless every seed has the same questions."""
    if not rows or any(row is None or len(row) != len(rows[0]) for row in rows):
        return None
    return [statistics.mean(col) for col in zip(*rows)]


def spread(values):
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def paired_by_step(a, b):
    """Mean and standard error of a - b over the second half of the steps both curves have."""
    b = dict(b)
    steps = [s for s, _ in a if s in b]
    diffs = [v - b[s] for s, v in a if s in b and s > steps[-1] / 2] if steps else []
    if len(diffs) < 2:
        return None
    return statistics.mean(diffs), statistics.stdev(diffs) / math.sqrt(len(diffs))


def print_tables(results, args):
    heldout = f"held-out acc, {args.heldout} q" if args.heldout else "held-out acc (last eval)"
    any_marked = False
    print()
    print(f"{'algorithm':<18} {'seeds':>5}  {'stage-2 R_M, first':>18}  {'stage-2 R_M, final':>18}  "
          f"{heldout:>22}  {'vs start: gained/lost (p) per seed'}")
    for name in args.algorithms:
        rs = [r for (n, _), r in sorted(results.items()) if n == name]
        if args.heldout:  # runs without a paired evaluation show their last in-run evaluation, marked *
            acc = [r["heldout"]["accuracy"] if r["heldout"] else r["eval_accuracy"] for r in rs]
            marked = any(not r["heldout"] for r in rs)
            any_marked = any_marked or marked
            pairs = ", ".join(f"{h['baseline']['gained']}/{h['baseline']['lost']} ({h['baseline']['p_value']:.3f})"
                              for h in (r["heldout"] for r in rs) if h and "baseline" in h)
        else:
            acc, pairs, marked = [r["eval_accuracy"] for r in rs], "", False
        print(f"{name:<18} {len(rs):>5}  {spread([r['first_reward'] for r in rs]):>18}  "
              f"{spread([r['final_reward'] for r in rs]):>18}  {spread(acc) + ('*' if marked else ''):>22}  {pairs}")
    if any_marked:
        print("* without a paired evaluation (a run stopped early, or --heldout not given when it ran): "
              "the run's last in-run evaluation")
    print()
    print("step by step on the same questions, second half of stage 2: mgrpo R_M minus the other (SE)")
    for name in args.algorithms:
        if name == "mgrpo":
            continue
        cells = []
        for seed in args.seeds:
            if ("mgrpo", seed) in results and (name, seed) in results:
                d = paired_by_step(results[("mgrpo", seed)]["curve"], results[(name, seed)]["curve"])
                if d:
                    cells.append(f"seed {seed}: {d[0]:+.3f} ({d[1]:.3f})")
        print(f"  vs {name:<16} " + ("; ".join(cells) if cells else "n/a"))
    if args.heldout:
        print_heldout_pairs(results, args)


def print_heldout_pairs(results, args):
    """Held out, every policy sees the same questions: differences per question, with their SE."""
    print()
    print("held out, on the same questions: mgrpo accuracy minus the other, per seed and averaged over seeds (SE)")
    for name in args.algorithms:
        if name == "mgrpo":
            continue
        cells, pairs = [], []
        for seed in args.seeds:
            a, b = answers(results.get(("mgrpo", seed))), answers(results.get((name, seed)))
            d = paired_questions(a, b) if a and b else None
            if d:
                cells.append(f"seed {seed}: {d[0]:+.3f} ({d[1]:.3f})")
                pairs.append((a, b))
        both = paired_questions(seed_mean([a for a, _ in pairs]), seed_mean([b for _, b in pairs])) if pairs else None
        if both:
            cells.append(f"all: {both[0]:+.3f} ({both[1]:.3f})")
        print(f"  vs {name:<16} " + ("; ".join(cells) if cells else "n/a"))
    start = os.path.join(args.out, "start-heldout.json")
    if not os.path.exists(start):
        return
    start = json.load(open(start))
    print(f"held out, gain over the shared start ({start['accuracy']:.3f}), averaged over seeds per question (SE, z)")
    for name in args.algorithms:
        if start_topology(name, args) != args.start_from:  # the single agent starts elsewhere (--single-from)
            continue
        mean = seed_mean([answers(r) for (n, _), r in sorted(results.items()) if n == name])
        d = paired_questions(mean, start["correct"]) if mean else None
        if d:
            z = f"{d[0] / d[1]:.1f}" if d[1] > 0 else "n/a"  # every question answered alike: no spread
            print(f"  {name:<18} {d[0]:+.3f} ({d[1]:.3f}, z {z})")


def moving_mean(values, window):
    """Mean of each value and the up to window - 1 before it (one step holds only B queries)."""
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v - (values[i - window] if i >= window else 0.0)
        out.append(total / min(i + 1, window))
    return out


def write_curves(results, args):
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
            steps = [step for step, _ in r["curve"]]
            values = moving_mean([v for _, v in r["curve"]], args.smooth)
            ax.plot(steps, values, color=f"C{i}", alpha=0.8, label=name if j == 0 else None)
    ax.set_xlabel("step")
    ax.set_ylabel(f"stage-2 training R_M (mean of the last {args.smooth} steps)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "curves.png"), dpi=110)
    print("wrote", os.path.join(args.out, "curves.csv"), "and curves.png")


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
    p.add_argument("--from", dest="start_from", metavar="TOPOLOGY",
                   help="warm-started topology every hierarchy run starts stage 2 from")
    p.add_argument("--single-from", metavar="TOPOLOGY", help="the same for the single agent")
    p.add_argument("--heldout", type=int, metavar="N", help="greedy held-out evaluation of N questions per run")
    p.add_argument("--last", type=int, default=50, help="final reward = mean of the last N stage-2 steps")
    p.add_argument("--smooth", type=int, default=25, help="curves.png: moving mean over N steps")
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
            start = start_topology(name, args)
            shares_stage1 = shares_stage1 and not start
            if not args.report_only and not os.path.exists(os.path.join(run_dir, "final_topology.json")):
                cmd = [args.mgrpo, "resume", run_dir] if os.path.exists(os.path.join(run_dir, "experiment.json")) else [
                    args.mgrpo, "run", with_overrides(name, experiment, args), "--seed", str(seed), "--out", run_dir]
                if cmd[1] == "run":
                    if args.steps is not None:
                        cmd += ["--steps", str(args.steps)]
                    if shares_stage1:
                        cmd += ["--stage1-from", os.path.join(args.out, f"mgrpo-seed{seed}")]
                cmd += ["--db", args.db] if args.db else (["--no-db"] if cmd[1] == "run" else [])
                run(cmd)
            if args.heldout and not args.report_only and os.path.exists(os.path.join(run_dir, "final_topology.json")):
                warm_dir = os.path.join(args.out, f"mgrpo-seed{seed}") if shares_stage1 else run_dir
                evaluate_heldout(run_dir, os.path.join(run_dir, "heldout.json"), args,
                                 start or os.path.join(warm_dir, "warmstart", "topology.json"))
            if os.path.exists(os.path.join(run_dir, "metrics.csv")):
                results[(name, seed)] = summarise(run_dir, args.last)

    if args.heldout and args.start_from and not args.report_only:  # the shared start, for pooled gains
        evaluate_heldout(args.start_from, os.path.join(args.out, "start-heldout.json"), args)
    print_tables(results, args)
    write_curves(results, args)


if __name__ == "__main__":
    main()
