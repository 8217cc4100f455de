// Runs a whole experiment in phases, each resumable from what is on disk:
//   1. warm start   <out>/warmstart/   (skipped when the spec has none)
//   2. stage 1      <out>/stage1/      (curriculum; skipped when stage1_steps = 0
//                                       or taken from another run's stage 1)
//   3. main stage   <out>/stage2/      (the configured algorithm)
// Listeners receive every step's metrics and trajectories, evaluations and
// checkpoints; the CLI, the database writer and the GUI worker all listen the
// same way. Torch-free interface.
#pragma once

#include "core/train/experiment_spec.h"
#include "core/train/trainer.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mgrpo::core {

class ExperimentListener {
public:
    virtual ~ExperimentListener() = default;
    // phase: "warm-start", "stage1" or "stage2"; steps it will run in total.
    virtual void onPhase(const std::string& /*phase*/, int /*stage*/, int /*steps*/) {}
    virtual void onLog(const std::string& /*line*/) {}
    // globalStep counts across phases (stage-1 steps first), 1-based.
    virtual void onStep(const std::string& /*phase*/, int /*globalStep*/, const StepMetrics& /*metrics*/,
                        const Trainer& /*trainer*/) {}
    virtual void onEvaluation(const std::string& /*phase*/, int /*globalStep*/, const EvalReport& /*report*/) {}
    virtual void onCheckpoint(const std::string& /*phase*/, int /*globalStep*/, const std::string& /*dir*/) {}
};

// Set from another thread: stop finishes the current step, checkpoints and
// returns; pause waits between steps until cleared (or stop).
struct RunControl {
    std::atomic<bool> stop{false};
    std::atomic<bool> pause{false};
};

enum class RunOutcome { Finished, Stopped };

class ExperimentRunner {
public:
    // A new experiment in `outDir` (created; must not hold one). `stage1From`
    // is another experiment's directory whose finished stage 1 this one
    // starts from (the baselines' shared starting point).
    ExperimentRunner(ExperimentSpec spec, std::string outDir, std::optional<std::string> stage1From = {});
    // Continues the experiment saved in `outDir` where it stopped.
    static ExperimentRunner resume(const std::string& outDir);

    void addListener(ExperimentListener* listener);
    // Decoupled training: every trainer this runner creates sends its remote
    // agents' updates to the session's workers (core/dist/decoupled.h).
    void setSession(std::shared_ptr<dist::Session> session) { m_session = std::move(session); }
    RunOutcome run(RunControl* control = nullptr);

    const ExperimentSpec& spec() const { return m_spec; }
    const std::string& outDir() const { return m_outDir; }
    int totalSteps() const;
    // Global steps whose results a resume keeps (the last checkpoints on disk).
    int checkpointedSteps() const;
    // The topology (with checkpoints) the finished run ends with: <out>/final_topology.json.
    std::string finalTopologyPath() const;

private:
    ExperimentRunner() = default;
    Topology warmStartPhase();
    Topology stage1Phase(const Topology& start, RunControl* control, bool& stopped);
    void stage2Phase(const Topology& start, RunControl* control, bool& stopped);
    // Drives one trainer to its end (or a stop); returns false when stopped.
    bool drive(Trainer& trainer, const std::string& phase, int stepOffset, RunControl* control);

    ExperimentSpec m_spec;
    std::string m_outDir;
    std::optional<std::string> m_stage1From;
    std::vector<ExperimentListener*> m_listeners;
    std::shared_ptr<dist::Session> m_session;
};

// The topology of a finished trainer run: its agents pointed at the run's checkpoint.
Topology topologyFromRun(const std::string& runDir);

}  // namespace mgrpo::core
