#pragma once
// OpenSSL's own reasons for a failure, for error messages that say what happened.

#include <string>

namespace subsidy::audit {

// Every reason in this thread's OpenSSL error queue, oldest first, joined by "; ", and the queue
// emptied; "OpenSSL gave no reason" if it was empty. Some providers fail without queuing
// anything (OpenSSL 3.0.19's SM2 refuses a DIST_ID init parameter that way): the message then
// says so rather than printing OpenSSL's empty "error:00000000:lib(0)::reason(0)".
std::string drain_openssl_errors();

}  // namespace subsidy::audit
