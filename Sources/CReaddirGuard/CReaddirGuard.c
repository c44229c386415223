#define _GNU_SOURCE
#include "CReaddirGuard.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

// See the header for why these exist. Each thread keeps a few full-size entries, one per directory
// stream it reads, reused in turn; an entry stays valid until the next read of the same stream on
// the same thread, or until eight other streams were read after it.
enum { slot_count = 8 };

struct guarded_slot {
    DIR *directory;
    struct dirent64 entry;
};

static __thread struct guarded_slot slots[slot_count];
static __thread unsigned next_slot;

typedef struct dirent64 *(*readdir64_function)(DIR *);

static readdir64_function next_readdir64(void) {
    static readdir64_function resolved;
    readdir64_function function = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);
    if (function == NULL) {
        function = (readdir64_function)dlsym(RTLD_NEXT, "readdir64");
        __atomic_store_n(&resolved, function, __ATOMIC_RELEASE);
    }
    return function;
}

static struct dirent64 *guarded_read(DIR *directory) {
    readdir64_function read_next = next_readdir64();
    if (read_next == NULL) {
        return NULL;
    }
    struct dirent64 *entry = read_next(directory);
    if (entry == NULL) {
        return NULL;
    }
    struct guarded_slot *slot = NULL;
    for (unsigned index = 0; index < slot_count; index++) {
        if (slots[index].directory == directory) {
            slot = &slots[index];
            break;
        }
    }
    if (slot == NULL) {
        slot = &slots[next_slot % slot_count];
        next_slot++;
        slot->directory = directory;
    }
    size_t length = entry->d_reclen;
    if (length > sizeof slot->entry) {
        length = sizeof slot->entry;
    }
    memset(&slot->entry, 0, sizeof slot->entry);
    memcpy(&slot->entry, entry, length);
    slot->entry.d_name[sizeof slot->entry.d_name - 1] = '\0';
    return &slot->entry;
}

// On 64-bit glibc `struct dirent` and `struct dirent64` have the same layout, and `readdir` is an
// alias of `readdir64`.
_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64), "dirent and dirent64 differ");

struct dirent64 *readdir64(DIR *directory) {
    return guarded_read(directory);
}

struct dirent *readdir(DIR *directory) {
    return (struct dirent *)guarded_read(directory);
}

int tenantsync_readdir_guard_active(void) {
    void *bound = dlsym(RTLD_DEFAULT, "readdir");
    void *bound64 = dlsym(RTLD_DEFAULT, "readdir64");
    return bound == (void *)&readdir && bound64 == (void *)&readdir64;
}
