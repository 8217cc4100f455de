// The training verbs of the CLI: run an experiment file, resume a run.
#pragma once

#include "cli/cli_commands.h"

namespace mgrpo::cli {

// mgrpo run EXPERIMENT.json [--steps N] [--seed S] [--device cpu|cuda:N] [--algorithm A]
//           [--out DIR] [--stage1-from DIR] [--dump-batches FILE] [--db FILE | --no-db] [--json]
//           [--decoupled [--max-staleness S] [--ranks AGENT=N,...] [--store HOST:PORT]]
int runExperiment(const Args& args, std::ostream& out);
// mgrpo resume RUN_ID|DIR [--db FILE] [--dump-batches FILE] [--json]
int resumeExperiment(const Args& args, std::ostream& out);
// mgrpo serve --role main|sub:AGENT --store HOST:PORT --world N --rank R ...
int serve(const Args& args, std::ostream& out);

}  // namespace mgrpo::cli
