#include "queue/write_queue.hpp"

#include <vector>

#include "db/statement.hpp"

namespace hall::queue {

WriteQueue::WriteQueue(db::Database& db, bool batch, std::size_t max_batch)
    : db_(db), batch_(batch), max_batch_(max_batch) {
  if (batch_) thread_ = std::thread([this] { loop(); });
}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WriteQueue::run(const Job& job) {
  if (db_.in_transaction()) {
    // Called inside a transaction of this thread: the job joins it (a savepoint)
    // rather than waiting for the committer thread, which would wait for this
    // thread's writer turn — a deadlock.
    db_.write([&](soci::session& s) { job(s); });
    return;
  }
  if (!batch_) {
    db_.write([&](soci::session& s) { job(s); });
    std::lock_guard lock(mu_);
    ++stats_.batches;
    ++stats_.jobs;
    stats_.max_batch = std::max<std::uint64_t>(stats_.max_batch, 1);
    return;
  }
  Pending p;
  p.job = &job;
  {
    std::unique_lock lock(mu_);
    queue_.push_back(&p);
    work_cv_.notify_one();
    p.cv.wait(lock, [&] { return p.done; });
  }
  if (p.error) std::rethrow_exception(p.error);
}

WriteQueue::Stats WriteQueue::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void WriteQueue::loop() {
  for (;;) {
    std::vector<Pending*> batch;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    try {
      db_.write([&](soci::session& s) {
        db::Values none;  // the savepoint statements are prepared once (db/statement.hpp)
        for (Pending* p : batch) {
          p->error = nullptr;
          db::execute_sql(s, "SAVEPOINT queue_job", none);
          try {
            (*p->job)(s);
            db::execute_sql(s, "RELEASE SAVEPOINT queue_job", none);
          } catch (...) {
            p->error = std::current_exception();
            db::execute_sql(s, "ROLLBACK TO SAVEPOINT queue_job", none);
            db::execute_sql(s, "RELEASE SAVEPOINT queue_job", none);
          }
        }
      });
    } catch (...) {
      // The commit itself failed: nothing of the batch was written.
      for (Pending* p : batch) p->error = std::current_exception();
    }
    {
      std::lock_guard lock(mu_);
      ++stats_.batches;
      stats_.jobs += batch.size();
      stats_.max_batch = std::max<std::uint64_t>(stats_.max_batch, batch.size());
      for (Pending* p : batch) {
        p->done = true;
        p->cv.notify_one();
      }
    }
  }
}

}  // namespace hall::queue
