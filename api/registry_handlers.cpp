// POST /v1/registry/imports (registry.md §1): an export of the real-name system, CSV or JSON
// Lines, read into the engine's reader as it arrives (body_source.h) and hashed on the way, so
// that a million rows never sit in memory as text. A good file is logged through the decision
// pipeline as its registry_import parts, in seq order with the decisions; a bad one is refused
// whole with every bad row named, and nothing is logged. A request whose Repr-Digest names a file
// imported before is answered with that import before its body is read (a million rows are not
// read into memory again only to be recognized); one whose body does not match it is refused.

#include "api/decision_view.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/pipeline_call.h"
#include "api/problem_response.h"
#include "api/repr_digest.h"
#include "engine/registry_import.h"
#include "engine/sha256.h"

#include <malloc.h>

#include <optional>
#include <string>

namespace subsidy::api {

namespace {

namespace json = boost::json;

// The body as one piece: a request routed without the server's streaming (a test's).
class WholeBody final : public BodySource {
 public:
  explicit WholeBody(std::string_view body) : body_(body) {}
  boost::asio::awaitable<BodyPiece> next() override {
    if (given_) co_return BodyPiece{BodyRead::end, {}};
    given_ = true;
    co_return BodyPiece{body_.empty() ? BodyRead::end : BodyRead::piece, body_};
  }
  std::uint64_t limit() const override { return body_.size(); }

 private:
  std::string_view body_;
  bool given_ = false;
};

std::optional<RegistryFormat> format_of(const Request& request) {
  if (has_media_type(request, "text/csv")) return RegistryFormat::csv;
  if (has_media_type(request, ndjson_type)) return RegistryFormat::json_lines;
  return std::nullopt;
}

Response too_many_rows() {
  return problem_response(ProblemKind::body_too_large, "the file has more than " +
                                                           std::to_string(registry_import_rows_max) +
                                                           " rows; split it into several imports");
}

// {seq, sha256, persons, rows} of an import's last part, as stored (or as a test's pipeline says).
std::optional<json::object> import_view(const PipelineReply& reply) {
  store::Result<json::object> record = reply_body(reply);
  if (!record.ok()) return std::nullopt;
  const json::value* seq = record.value().if_contains("seq");
  const json::value* import = record.value().if_contains("import");
  if (seq == nullptr || import == nullptr || !import->is_object()) return std::nullopt;
  json::object view{{"seq", *seq}};
  for (std::string_view name : {"sha256", "persons", "rows"}) {
    if (const json::value* v = import->get_object().if_contains(name)) view[name] = *v;
  }
  return view;
}

// 200 with the import of the file with this SHA-256, when the log holds one; 503 when the state
// cannot be read; nullopt when no such file was imported.
std::optional<Response> known_import(RequestContext& ctx, const std::string& sha256_hex) {
  DecisionPipeline::RegistryImportLookup known = ctx.services.pipeline->find_registry_import(sha256_hex);
  if (!known.available) return problem_response(ProblemKind::unavailable, "the server cannot read its log; try again later");
  if (!known.entry) return std::nullopt;
  return json_response(http::status::ok, json::object{{"seq", known.entry->last_seq},
                                                      {"sha256", sha256_hex},
                                                      {"persons", known.entry->persons},
                                                      {"rows", known.entry->rows}});
}

}  // namespace

boost::asio::awaitable<Response> post_registry_import(RequestContext& ctx) {
  std::optional<RegistryFormat> format = format_of(ctx.request);
  if (!format) {
    co_return problem_response(ProblemKind::unsupported_type,
                               "the body must be text/csv or application/x-ndjson (registry.md §1)");
  }
  ReprDigest claimed = request_sha256_digest(ctx.request);
  if (claimed.kind == ReprDigest::Kind::malformed) {
    co_return problem_response(ProblemKind::unparseable,
                               "Repr-Digest's sha-256 must be 32 bytes of base64 between colons (RFC 9530)");
  }
  if (claimed.kind == ReprDigest::Kind::sha256) {
    if (std::optional<Response> known = known_import(ctx, claimed.sha256_hex)) co_return std::move(*known);
  }
  WholeBody whole(ctx.request.body());
  BodySource& body = ctx.body != nullptr ? *ctx.body : whole;
  std::optional<RegistryImportReader> reader(std::in_place, *format);
  Sha256Stream sha256;
  for (;;) {
    BodyPiece piece = co_await body.next();
    if (piece.read == BodyRead::end) break;
    if (piece.read == BodyRead::failed) {
      co_return problem_response(ProblemKind::unavailable, "the file did not arrive whole");  // no one to hear it
    }
    if (piece.read == BodyRead::too_large) {
      co_return problem_response(ProblemKind::body_too_large,
                                 "the file is larger than " + std::to_string(body.limit()) + " bytes");
    }
    sha256.update(piece.bytes);
    reader->feed(piece.bytes);
    if (reader->too_many_rows()) co_return too_many_rows();  // the rest is not read
  }
  const std::string body_sha256 = sha256.finish();
  if (claimed.kind == ReprDigest::Kind::sha256 && claimed.sha256_hex != body_sha256) {
    co_return problem_response(ProblemKind::unparseable,
                               "the body's SHA-256 is " + body_sha256 + ", not the " + claimed.sha256_hex +
                                   " its Repr-Digest says; nothing was imported");
  }
  // A file imported before is answered before its persons are gathered (RegistryImportReader::finish
  // would hold them twice for a moment, beside the registry that already has them).
  if (std::optional<Response> known = known_import(ctx, body_sha256)) {
    reader.reset();
    malloc_trim(0);  // a million persons read for nothing: their memory goes back to the system now
    co_return std::move(*known);
  }
  RegistryImport imported = reader->finish();
  if (imported.too_many_rows) co_return too_many_rows();
  if (!imported.problems.empty()) {
    co_return problem_response(ProblemKind::invalid,
                               "the import was refused and nothing was imported: every bad row is in errors",
                               imported.problems);
  }
  store::RegistryImportFacts facts{body_sha256, *format, imported.rows, imported.persons.size()};
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) {
    return pipeline->try_import_registry(std::move(facts), std::move(imported.persons), ctx.principal->token_id,
                                         std::move(done));
  };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  if (!reply) co_return queue_full(ctx.services);
  switch (reply->outcome) {
    case PipelineOutcome::created:
    case PipelineOutcome::existing:
      if (std::optional<json::object> view = import_view(*reply)) {
        co_return json_response(reply->outcome == PipelineOutcome::created ? http::status::created : http::status::ok,
                                *view);
      }
      break;
    case PipelineOutcome::invalid:
      co_return problem_response(ProblemKind::invalid, reply->detail.empty() ? "the import is not valid" : reply->detail,
                                 reply->problems);
    default: break;
  }
  co_return problem_response(ProblemKind::unavailable,
                             reply->detail.empty() ? "the store failed; nothing was imported" : reply->detail);
}

}  // namespace subsidy::api
