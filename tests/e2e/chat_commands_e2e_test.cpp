// Filled in by the chat_commands_e2e_test work.
#include "tests/e2e/herald_e2e_fixture.h"
