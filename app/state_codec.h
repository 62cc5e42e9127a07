#pragma once
// A State as bytes and back, for snapshots (app/snapshot.h): every fact of its history,
// catalogue and registry, in an order that decoding repeats, so that decode(encode(s)) encodes to the same
// bytes again and two states are equal exactly when their encodings are. Little-endian, lengths
// before contents; the format's version is the snapshot file's (snapshot.h). Pure: no I/O.

#include "app/state.h"
#include "store/status.h"

#include <string>
#include <string_view>

namespace subsidy::app {

std::string encode_state(const State& state);

// Errors (corruption): bytes that end early, run on past the state, or hold a value no state
// holds (an unknown program, a date out of range, a string longer than its bytes).
store::Result<State> decode_state(std::string_view bytes);

}  // namespace subsidy::app
