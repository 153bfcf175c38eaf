// Group commit for the queue's writes. On SQLite every durable commit costs an
// fsync (a few hundred per second on the hall's server), and the queue must
// answer thousands of take-a-number and call-next requests per second, each
// durably committed before the answer. So concurrent writes are batched: one
// committer thread runs every waiting job in one transaction, each inside its
// own SAVEPOINT (a refused or failed job rolls back alone), commits once, and
// only then wakes the callers. Jobs in a batch run one after another, so they
// see each other's writes exactly as separate serialized transactions would.
//
// On PostgreSQL each job runs in its own transaction on the caller's thread:
// the server already shares WAL flushes between concurrent commits, and real
// concurrency is what the row locks (SKIP LOCKED, upserts) are proven against.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "db/database.hpp"

namespace hall::queue {

class WriteQueue {
 public:
  using Job = std::function<void(soci::session&)>;

  // batch: group commit (SQLite); otherwise one transaction per job.
  WriteQueue(db::Database& db, bool batch, std::size_t max_batch = 256);
  ~WriteQueue();

  // Runs job inside a write transaction and returns once that transaction
  // has committed; rethrows what the job threw (its writes rolled back).
  // The job may run more than once (a transient error retries the batch):
  // it must only write to the database and to variables it resets itself.
  void run(const Job& job);

  struct Stats {
    std::uint64_t batches = 0, jobs = 0, max_batch = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    const Job* job;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;  // each caller waits on its own: a commit wakes exactly its callers
  };
  void loop();

  db::Database& db_;
  bool batch_;
  std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace hall::queue
