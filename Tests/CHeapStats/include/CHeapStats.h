#include <stddef.h>

/// How many times memory was allocated in this process so far (malloc, calloc, realloc,
/// posix_memalign, aligned_alloc): the test binary's own definitions of these count each call
/// and hand it to glibc's. For tests that check a path allocates nothing.
size_t porter_allocations(void);
