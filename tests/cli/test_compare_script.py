#!/usr/bin/env python3
"""scripts/compare.py end to end on the smallest models: two algorithms x two seeds from
one shared starting topology (--from), a paired held-out evaluation per run, and the
step-by-step comparison recomputed here from curves.csv.

    test_compare_script.py MGRPO_BINARY SMOKE_EXPERIMENT WORK_DIR
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPARE = os.path.join(ROOT, "scripts", "compare.py")  # through its shebang, as users run it


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    mgrpo, smoke, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    start = os.path.join(work, "start.json")  # smoke's inline topology as a file
    json.dump(json.load(open(smoke))["topology"], open(start, "w"))
    out = os.path.join(work, "runs")
    cmd = [COMPARE, "--out", out, "--from", start,
           "--seeds", "0", "1", "--algorithms", "mgrpo", "main-only", "--steps", "4", "--eval-queries", "2",
           "--heldout", "3", "--mgrpo", mgrpo]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    print(result.stdout)
    if result.returncode != 0:
        fail(f"compare.py exited with {result.returncode}")

    # Every run started stage 2 from the shared topology, with its own seed and algorithm.
    for name in ("mgrpo", "main-only"):
        for seed in (0, 1):
            run_dir = os.path.join(out, f"{name}-seed{seed}")
            spec = json.load(open(os.path.join(run_dir, "experiment.json")))
            spec = spec.get("experiment", spec)
            if spec["algorithm"] != name or spec["seed"] != seed:
                fail(f"{run_dir}: algorithm {spec['algorithm']}, seed {spec['seed']}")
            if spec["warm_start"]["demonstrations"] != 0 or spec["curriculum"]["stage1_steps"] != 0:
                fail(f"{run_dir}: ran a warm start or stage 1 although --from was given")
            if [a["model"]["d_model"] for a in spec["topology"]["agents"]] != [32, 32]:
                fail(f"{run_dir}: not the --from topology")
            heldout = json.load(open(os.path.join(run_dir, "heldout.json")))
            if heldout["baseline"]["topology"] != start or len(heldout["correct"]) != 3:
                fail(f"{run_dir}: held-out evaluation not paired with the start on 3 questions")
            b = heldout["baseline"]
            if b["gained"] + b["lost"] + b["both_right"] + b["both_wrong"] != 3:
                fail(f"{run_dir}: paired counts do not add up to 3")

    # The shared start, evaluated once; the pooled question-by-question difference recomputed here.
    start_eval = json.load(open(os.path.join(out, "start-heldout.json")))
    if len(start_eval["correct"]) != 3:
        fail("start-heldout.json does not hold the start's 3 held-out answers")
    correct = {(n, s): json.load(open(os.path.join(out, f"{n}-seed{s}", "heldout.json")))["correct"]
               for n in ("mgrpo", "main-only") for s in (0, 1)}
    pooled = sum(correct[("mgrpo", s)][q] - correct[("main-only", s)][q] for s in (0, 1) for q in range(3)) / 6
    m = re.search(r"held out, on the same questions.*\n +vs main-only .*all: ([+-][0-9.]+) \(", result.stdout)
    if not m or abs(float(m.group(1)) - pooled) > 5e-4:
        fail(f"held-out mgrpo - main-only: printed {m.group(1) if m else None}, expected {pooled:+.3f}")
    if not re.search(r"^  main-only +[+-][0-9.]+ \([0-9.]+, z ", result.stdout, re.M):
        fail("no held-out gain over the shared start for main-only")

    curves = {}
    for r in csv.DictReader(open(os.path.join(out, "curves.csv"))):
        curves.setdefault((r["algorithm"], int(r["seed"])), {})[int(r["step"])] = float(r["main_reward_mean"])
    if sorted(curves) != [("main-only", 0), ("main-only", 1), ("mgrpo", 0), ("mgrpo", 1)]:
        fail(f"curves.csv holds {sorted(curves)}")
    if any(sorted(c) != [1, 2, 3, 4] for c in curves.values()):
        fail("curves.csv does not hold steps 1-4 for every run")

    # The printed step-by-step difference: the mean of steps 3 and 4, recomputed here.
    for seed in (0, 1):
        expected = sum(curves[("mgrpo", seed)][s] - curves[("main-only", seed)][s] for s in (3, 4)) / 2
        m = re.search(rf"vs main-only .*seed {seed}: ([+-][0-9.]+) \(", result.stdout)
        if not m or abs(float(m.group(1)) - expected) > 5e-4:
            fail(f"seed {seed}: printed {m.group(1) if m else None}, expected {expected:+.3f}")
    if not re.search(r"^main-only +2 ", result.stdout, re.M):
        fail("no table row for main-only over 2 seeds")
    # The plot, where the script's interpreter has matplotlib (scripts/install-deps.sh installs it).
    if "matplotlib not installed" not in result.stdout:
        with open(os.path.join(out, "curves.png"), "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("curves.png is not a PNG")
    check_report(work)
    print("compare.py: 4 runs from the shared start, held-out pairs and the report's numbers check out")


def check_report(work):
    """--report-only on runs with known rewards: every printed number computed by hand."""
    out = os.path.join(work, "known")
    rewards = {"mgrpo": [0.1, 0.2, 0.5, 0.7], "main-only": [0.1, 0.1, 0.2, 0.3]}
    heldout = {"mgrpo": (0.62, 64, 46, 0.105), "main-only": (0.60, 40, 15, 0.001)}
    correct = {"mgrpo": [1, 1, 0, 1], "main-only": [1, 0, 0, 1]}
    os.makedirs(out)
    json.dump({"accuracy": 0.5, "queries": 4, "correct": [0, 1, 0, 1]},
              open(os.path.join(out, "start-heldout.json"), "w"))
    for name, values in rewards.items():
        run_dir = os.path.join(out, f"{name}-seed0")
        os.makedirs(run_dir)
        with open(os.path.join(run_dir, "metrics.csv"), "w") as f:
            f.write("phase,step,name,value\n")
            for step, v in enumerate(values, 1):
                f.write(f"stage2,{step},main/reward_mean,{v}\nstage2,{step},main/accuracy,0\n")
        open(os.path.join(run_dir, "evaluations.csv"), "w").write("phase,step,stage,accuracy\n")
        acc, gained, lost, p = heldout[name]
        json.dump({"accuracy": acc, "correct": correct[name],
                   "baseline": {"gained": gained, "lost": lost, "p_value": p}},
                  open(os.path.join(run_dir, "heldout.json"), "w"))
    report = subprocess.run([COMPARE, "--out", out,
                             "--report-only", "--seeds", "0", "--algorithms", "mgrpo", "main-only",
                             "--last", "2", "--heldout", "500"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60).stdout
    print(report)
    # first = mean of steps 1-2, final = mean of steps 3-4; one seed, so spread 0.
    expected_rows = [r"mgrpo +1 +0\.150 ± 0\.000 +0\.600 ± 0\.000 +0\.620 ± 0\.000 +64/46 \(0\.105\)",
                     r"main-only +1 +0\.100 ± 0\.000 +0\.250 ± 0\.000 +0\.600 ± 0\.000 +40/15 \(0\.001\)",
                     # steps 3-4: differences 0.3 and 0.4, mean 0.35, SE = stdev / sqrt(2) = 0.05
                     r"vs main-only +seed 0: \+0\.350 \(0\.050\)",
                     # held out: differences 0, 1, 0, 0: mean 0.25, stdev 0.5, SE 0.5 / sqrt(4)
                     r"vs main-only +seed 0: \+0\.250 \(0\.250\); all: \+0\.250 \(0\.250\)",
                     # against the start [0, 1, 0, 1]: mgrpo 1, 0, 0, 0 (SE 0.25, z 1);
                     # main-only 1, -1, 0, 0 (mean 0, stdev sqrt(2/3), SE 0.408)
                     r"mgrpo +\+0\.250 \(0\.250, z 1\.0\)",
                     r"main-only +\+0\.000 \(0\.408, z 0\.0\)"]
    for row in expected_rows:
        if not re.search(row, report):
            fail(f"report lacks /{row}/")


if __name__ == "__main__":
    main()
