#include "strophe_handles.h"

namespace herald::testing {

void ensure_libstrophe_initialized()
{
    static const bool initialized = [] {
        xmpp_initialize();
        return true;
    }();
    (void)initialized;
}

}  // namespace herald::testing
