// SPDX-License-Identifier: Apache-2.0
#include "engine/rdf/pipeline.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace weft::rdf {
namespace {

// One batch: the bytes of every term, and per event its kind and the
// (offset, length) of each string it refers to.
struct Batch {
  enum Kind : uint8_t { kQuad, kPrefix, kBase };
  struct Str {
    uint32_t off, len;
  };
  struct Event {
    Kind kind;
    TermKind tk[4];
    Str value[4], datatype[4], lang[4];
  };
  std::string bytes;
  std::vector<Event> events;

  Str put(std::string_view s) {
    Str r{static_cast<uint32_t>(bytes.size()), static_cast<uint32_t>(s.size())};
    bytes.append(s);
    return r;
  }
  std::string_view get(Str s) const { return std::string_view(bytes).substr(s.off, s.len); }
};

constexpr size_t kBatchEvents = 4096;
constexpr size_t kBatchBytes = size_t{1} << 20;  // a batch never nears 4 GiB offsets
constexpr size_t kQueueDepth = 8;

class Channel {
 public:
  // Producer side. False once the consumer has given up.
  bool push(std::unique_ptr<Batch> b) {
    std::unique_lock<std::mutex> g(mu_);
    not_full_.wait(g, [&] { return q_.size() < kQueueDepth || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(b));
    not_empty_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard<std::mutex> g(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  // Consumer side. nullptr at the end.
  std::unique_ptr<Batch> pop() {
    std::unique_lock<std::mutex> g(mu_);
    not_empty_.wait(g, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return b;
  }
  void cancel() {
    std::lock_guard<std::mutex> g(mu_);
    cancelled_ = true;
    q_.clear();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::unique_ptr<Batch>> q_;
  bool closed_ = false, cancelled_ = false;
};

// Runs on the worker: copies each event into the current batch.
class BatchingSink : public QuadSink {
 public:
  explicit BatchingSink(Channel* ch) : ch_(ch), cur_(std::make_unique<Batch>()) {}
  Status quad(const QuadView& q) override {
    Batch::Event e{};
    e.kind = Batch::kQuad;
    const TermView* t[4] = {&q.s, &q.p, &q.o, &q.g};
    for (int i = 0; i < 4; ++i) {
      e.tk[i] = t[i]->kind;
      e.value[i] = cur_->put(t[i]->value);
      e.datatype[i] = cur_->put(t[i]->datatype);
      e.lang[i] = cur_->put(t[i]->lang);
    }
    return add(e);
  }
  Status prefix(std::string_view name, std::string_view iri) override {
    Batch::Event e{};
    e.kind = Batch::kPrefix;
    e.value[0] = cur_->put(name);
    e.value[1] = cur_->put(iri);
    return add(e);
  }
  Status base(std::string_view iri) override {
    Batch::Event e{};
    e.kind = Batch::kBase;
    e.value[0] = cur_->put(iri);
    return add(e);
  }
  Status flush() {
    if (!cur_->events.empty() && !ch_->push(std::move(cur_))) return Status::aborted("consumer stopped");
    cur_ = std::make_unique<Batch>();
    return Status::ok();
  }

 private:
  Status add(const Batch::Event& e) {
    cur_->events.push_back(e);
    if (cur_->events.size() >= kBatchEvents || cur_->bytes.size() >= kBatchBytes) return flush();
    return Status::ok();
  }
  Channel* ch_;
  std::unique_ptr<Batch> cur_;
};

}  // namespace

Status readFilePipelined(const std::string& path, const ReadOptions& opts, QuadSink& sink) {
  Channel ch;
  Status read_status;
  std::thread worker([&] {
    BatchingSink batching(&ch);
    read_status = readFile(path, opts, batching);
    if (read_status.isOk()) read_status = batching.flush();
    ch.close();
  });
  Status sink_status;
  while (auto b = ch.pop()) {
    for (const Batch::Event& e : b->events) {
      if (e.kind == Batch::kQuad) {
        TermView t[4];
        for (int i = 0; i < 4; ++i) {
          t[i] = TermView{e.tk[i], b->get(e.value[i]), b->get(e.datatype[i]), b->get(e.lang[i])};
        }
        sink_status = sink.quad(QuadView{t[0], t[1], t[2], t[3]});
      } else if (e.kind == Batch::kPrefix) {
        sink_status = sink.prefix(b->get(e.value[0]), b->get(e.value[1]));
      } else {
        sink_status = sink.base(b->get(e.value[0]));
      }
      if (!sink_status) break;
    }
    if (!sink_status) {
      ch.cancel();  // the worker's next push fails and parsing stops
      break;
    }
  }
  worker.join();
  if (!sink_status) return sink_status;
  return read_status;
}

}  // namespace weft::rdf
