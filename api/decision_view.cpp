#include "api/decision_view.h"

#include "store/record_format.h"

#include <boost/json/parse.hpp>

namespace subsidy::api {

namespace rf = store::record_format;

store::Result<boost::json::object> decision_view(const store::StoredRecord& record) {
  if (record.type != rf::type_decision) {
    return store::store_error(store::StoreCode::invalid_argument,
                              "record " + std::to_string(record.seq) + " is a " + record.type + " record",
                              record.seq);
  }
  auto full = store::record_with_hash(record);
  if (!full.ok()) return full.error();
  boost::json::value* decision = full.value().if_contains(rf::decision_field);
  if (decision == nullptr || !decision->is_object()) {
    return store::store_error(store::StoreCode::corruption,
                              "record " + std::to_string(record.seq) + " has no decision object", record.seq);
  }
  boost::json::object out = std::move(decision->get_object());
  out[rf::decided_at_field] = record.decided_at;
  out[rf::prev_hash_field] = record.prev_hash;
  out[rf::hash_field] = record.hash;
  return out;
}

store::Result<boost::json::object> reply_body(const app::PipelineReply& reply) {
  if (!reply.text.empty()) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(reply.text, ec);
    if (ec || !v.is_object()) return store::store_error(store::StoreCode::corruption, "the answer's text is not an object");
    return std::move(v.get_object());
  }
  if (!reply.record) return reply.body;
  if (reply.record->type == store::record_format::type_decision) return decision_view(*reply.record);
  return store::record_with_hash(*reply.record);
}

}  // namespace subsidy::api
