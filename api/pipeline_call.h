#pragma once
// The decision pipeline from a coroutine: submit, suspend, resume on the connection's own executor
// with the reply (the pipeline calls back on its sequencer thread; the reply is posted back so
// that no connection code ever runs there). nullopt when the queue was full: answer 503.

#include "api/problem_response.h"
#include "api/services.h"
#include "app/decision_pipeline.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace subsidy::api {

// submit(done) calls one of DecisionPipeline's try_* with done and returns its bool.
template <class Submit>
boost::asio::awaitable<std::optional<app::PipelineReply>> call_pipeline(Submit submit) {
  auto executor = co_await boost::asio::this_coro::executor;
  // The initiation is a named local, not a temporary of the co_await expression: GCC 12 destroys
  // some such temporaries twice, and this one holds the connection's executor.
  auto initiation = [&submit, executor](auto handler) {
    // Done must be copyable (std::function); the coroutine's handler is move-only. The handler
    // owns the suspended coroutine: it is moved out and invoked on the connection's executor, so
    // that whichever thread drops the last shared_ptr only destroys an empty shell.
    using Resume = decltype(handler);
    struct State {
      explicit State(Resume h) : pending(std::move(h)) {}
      Resume pending;
      std::atomic<bool> resumed{false};  // at most once, even if submit throws after taking done
    };
    auto state = std::make_shared<State>(std::move(handler));
    auto resume_with = [state, executor](std::optional<app::PipelineReply> reply) {
      if (state->resumed.exchange(true)) return;
      boost::asio::post(executor, [state, reply = std::move(reply)]() mutable {
        Resume now = std::move(state->pending);
        std::move(now)(std::move(reply));
      });
    };
    // An exception here would escape into the io_context (initiations run outside the
    // coroutine's body), so it becomes an `unavailable` reply: 503, logged.
    try {
      bool accepted = submit([resume_with](app::PipelineReply reply) { resume_with(std::move(reply)); });
      if (!accepted) resume_with(std::nullopt);
    } catch (const std::exception& e) {
      std::cerr << "subsidyd: the decision pipeline failed: " << e.what() << '\n';
      app::PipelineReply failed;
      failed.outcome = app::PipelineOutcome::unavailable;
      failed.detail = "the server could not complete the request; try again";
      resume_with(std::move(failed));
    }
  };
  std::optional<app::PipelineReply> reply =
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(std::optional<app::PipelineReply>)>(
          initiation, boost::asio::use_awaitable);
  co_return reply;
}

// The answer when call_pipeline() gives nullopt: 503 with the pipeline's Retry-After.
inline Response queue_full(const Services& services) {
  Response r = problem_response(ProblemKind::unavailable, "the decision queue is full; retry later");
  r.set(http::field::retry_after, std::to_string(services.pipeline->retry_after().count()));
  return r;
}

}  // namespace subsidy::api
