// Helper process for the kill and concurrency tests: a synthetic training
// loop that records through RunRecorder. It resumes like the trainer does
// (from the run's last checkpoint), prints "ready" once it owns the run, and
// writes steps until done or killed.
//   store_test_writer DB RUN_ID TOTAL_STEPS METRICS_PER_STEP [SLEEP_US]
// Metric j of step s is named main/mJ (j < M/2) or sub.searcher/mJ and has value s*1000+j.
#include "core/store/history_store.h"
#include "core/store/run_recorder.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

using namespace mgrpo::store;

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: store_test_writer DB RUN_ID TOTAL_STEPS METRICS_PER_STEP [SLEEP_US]\n";
        return 2;
    }
    try {
        const std::string db = argv[1];
        const RunId run = std::stoll(argv[2]);
        const int total = std::stoi(argv[3]);
        const int metrics = std::stoi(argv[4]);
        const int sleepUs = argc > 5 ? std::stoi(argv[5]) : 0;
        int start = 0;
        {
            HistoryStore store(db);
            if (const auto checkpoint = store.lastCheckpoint(run)) {
                store.truncateAfter(run, checkpoint->step);
                start = checkpoint->step + 1;
            } else {
                store.truncateAfter(run, -1);
            }
        }
        RunRecorder recorder(db, run);
        std::cout << "ready " << start << std::endl;
        for (int s = start; s < total; ++s) {
            StepRecord step;
            step.step = s;
            for (int j = 0; j < metrics; ++j) {
                const std::string agent = j < metrics / 2 ? "main" : "sub.searcher";
                step.metrics[agent + "/m" + std::to_string(j)] = s * 1000.0 + j;
            }
            step.trajectories.push_back({0, 0, "train", "q", 1.0, true, R"({"step":)" + std::to_string(s) + "}"});
            if (s % 10 == 9) step.checkpoint = CheckpointRecord{s, "ckpt-" + std::to_string(s), 1, ""};
            recorder.recordStep(std::move(step));
            if (sleepUs > 0) std::this_thread::sleep_for(std::chrono::microseconds(sleepUs));
        }
        recorder.finish(RunStatus::Finished);
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "store_test_writer: " << e.what() << '\n';
        return 1;
    }
}
