// RunRecorder (see run_recorder.h).
#include "core/store/run_recorder.h"

#include "core/store/history_store.h"

#include <algorithm>

namespace mgrpo::store {

RunRecorder::RunRecorder(const std::filesystem::path& dbPath, RunId run) : RunRecorder(dbPath, run, Options{}) {}

RunRecorder::RunRecorder(const std::filesystem::path& dbPath, RunId run, Options options)
    : m_run(run), m_options(options), m_store(std::make_unique<HistoryStore>(dbPath)) {
    if (m_options.queueCapacity == 0 || m_options.maxStepsPerTransaction == 0)
        throw StoreError("RunRecorder: queueCapacity and maxStepsPerTransaction must be at least 1");
    m_store->claimRun(run);
    m_writer = std::thread([this] { writerLoop(); });
}

RunRecorder::~RunRecorder() {
    {
        std::unique_lock lock(m_mutex);
        if (!m_finished && !m_error) m_queue.push_back(StatusChange{RunStatus::Interrupted, "the recorder was closed "
                                                                                           "before the run finished"});
        m_stopping = true;
    }
    m_changed.notify_all();
    m_writer.join();
    if (m_error && !m_finished) {
        // Best effort: leave the reason in the run; if even this fails, the
        // next open marks the run interrupted once this process is gone.
        try {
            std::rethrow_exception(m_error);
        } catch (const std::exception& e) {
            try {
                m_store->setStatus(m_run, RunStatus::Failed, std::string("history write failed: ") + e.what());
            } catch (...) {
            }
        } catch (...) {
        }
    }
}

void RunRecorder::push(Item item) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_queue.size() < m_options.queueCapacity || m_error; });
    rethrowError();
    m_queue.push_back(std::move(item));
    lock.unlock();
    m_changed.notify_all();
}

void RunRecorder::recordStep(StepRecord step) {
    step.trajectories =
        sampleTrajectories(step.trajectories, step.step, step.evaluation.has_value(), m_options.sampling);
    push(std::move(step));
}

void RunRecorder::recordCheckpoint(CheckpointRecord checkpoint) { push(std::move(checkpoint)); }

void RunRecorder::setStatus(RunStatus status, const std::string& error) { push(StatusChange{status, error}); }

void RunRecorder::flush() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return (m_queue.empty() && !m_writing) || m_error; });
    rethrowError();
}

void RunRecorder::finish(RunStatus status, const std::string& error) {
    setStatus(status, error);
    flush();
    std::lock_guard lock(m_mutex);
    m_finished = true;
}

int RunRecorder::lastCommittedStep() const {
    std::lock_guard lock(m_mutex);
    return m_lastCommitted;
}

void RunRecorder::rethrowError() {
    if (m_error) std::rethrow_exception(m_error);
}

void RunRecorder::writerLoop() {
    for (;;) {
        std::vector<Item> batch;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty() || m_error) return;  // stopping and drained (or broken)
            // One item, or a run of consecutive steps for one group commit.
            do {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            } while (std::holds_alternative<StepRecord>(batch.back()) && batch.size() < m_options.maxStepsPerTransaction &&
                     !m_queue.empty() && std::holds_alternative<StepRecord>(m_queue.front()));
            m_writing = true;
        }
        m_changed.notify_all();  // a producer may wait for room
        write(batch);
    }
}

void RunRecorder::write(std::vector<Item>& batch) {
    int committed = -1;
    try {
        if (std::holds_alternative<StepRecord>(batch.front())) {
            std::vector<const StepRecord*> steps;
            for (const auto& item : batch) {
                steps.push_back(&std::get<StepRecord>(item));
                committed = std::max(committed, steps.back()->step);
            }
            m_store->writeSteps(m_run, steps);
        } else if (auto* checkpoint = std::get_if<CheckpointRecord>(&batch.front())) {
            m_store->addCheckpoint(m_run, *checkpoint);
        } else {
            const auto& change = std::get<StatusChange>(batch.front());
            m_store->setStatus(m_run, change.status, change.error);
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
        m_queue.clear();
        committed = -1;
    }
    {
        std::lock_guard lock(m_mutex);
        m_writing = false;
        if (committed > m_lastCommitted) m_lastCommitted = committed;
    }
    m_changed.notify_all();
}

}  // namespace mgrpo::store
