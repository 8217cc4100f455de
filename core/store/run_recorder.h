// RunRecorder: records one run from a training loop without making it wait on
// disk. recordStep() queues the step (blocking only while the bounded queue is
// full); a writer thread with its own connection commits ONE transaction per
// step; when it has fallen behind, the queued steps are group-committed
// (several whole steps in one transaction, never a partial one). flush() and
// the destructor drain the queue. A write error is kept and
// rethrown by the next recordStep()/flush()/finish().
#pragma once

#include "core/store/records.h"
#include "core/store/trajectory_sampling.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

namespace mgrpo::store {

class HistoryStore;

class RunRecorder {
public:
    struct Options {
        size_t queueCapacity = 256;  // steps waiting to be written before recordStep() blocks
        // Steps already queued that may share one commit (1: strictly one
        // transaction per step). A commit rewrites every page it touched, and a
        // step touches one page per metric name, so batching is what makes a
        // fast producer affordable; it never delays a step that finds the writer idle.
        size_t maxStepsPerTransaction = 64;
        SamplingPolicy sampling;     // which rollouts of a training step are kept
    };

    // Opens its own connection to `dbPath` and claims `run` (status running,
    // owned by this process).
    RunRecorder(const std::filesystem::path& dbPath, RunId run);
    RunRecorder(const std::filesystem::path& dbPath, RunId run, Options options);
    // Drains the queue; if finish() was not called the run is marked
    // 'interrupted' (it stopped without saying how).
    ~RunRecorder();
    RunRecorder(const RunRecorder&) = delete;
    RunRecorder& operator=(const RunRecorder&) = delete;

    RunId run() const { return m_run; }
    // Applies the sampling policy (every rollout kept when step.evaluation is set).
    void recordStep(StepRecord step);
    void recordCheckpoint(CheckpointRecord checkpoint);
    void setStatus(RunStatus status, const std::string& error = {});
    // Blocks until everything queued so far is committed.
    void flush();
    // Drains, then sets the final status (finished, failed, stopped...).
    void finish(RunStatus status, const std::string& error = {});
    // Highest step committed so far, -1 before the first.
    int lastCommittedStep() const;

private:
    struct StatusChange {
        RunStatus status;
        std::string error;
    };
    using Item = std::variant<StepRecord, CheckpointRecord, StatusChange>;

    void push(Item item);
    void writerLoop();
    void write(std::vector<Item>& batch);
    void rethrowError();

    const RunId m_run;
    const Options m_options;
    std::unique_ptr<HistoryStore> m_store;  // used by the writer thread only after construction
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Item> m_queue;
    bool m_writing = false;   // the writer holds an item taken off the queue
    bool m_stopping = false;
    bool m_finished = false;
    int m_lastCommitted = -1;
    std::exception_ptr m_error;
    std::thread m_writer;
};

}  // namespace mgrpo::store
