// Landlock (Linux >= 5.13) through its three system calls; glibc has no
// wrappers, and Swift cannot call the variadic syscall(2).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // O_PATH
#endif
#include "CSandbox.h"

#include <errno.h>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

int figpipe_landlock_abi(void) {
    long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

/// The write rights of an ABI version: what the ruleset handles.
static uint64_t write_rights(int abi) {
    uint64_t rights = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE
        | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG
        | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK
        | LANDLOCK_ACCESS_FS_MAKE_SYM;
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    return rights;
}

int figpipe_landlock_restrict_writes(const char *const *writable, int count) {
    int abi = figpipe_landlock_abi();
    if (abi <= 0) return ENOSYS;
    struct landlock_ruleset_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.handled_access_fs = write_rights(abi);
    int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (ruleset < 0) return errno;
    for (int i = 0; i < count; i++) {
        int fd = open(writable[i], O_PATH | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            close(ruleset);
            return e;
        }
        struct landlock_path_beneath_attr beneath;
        memset(&beneath, 0, sizeof(beneath));
        beneath.allowed_access = attr.handled_access_fs;
        beneath.parent_fd = fd;
        long rc = syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
        int e = errno;
        close(fd);
        if (rc != 0) {
            close(ruleset);
            return e;
        }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        int e = errno;
        close(ruleset);
        return e;
    }
    long rc = syscall(__NR_landlock_restrict_self, ruleset, 0);
    int e = errno;
    close(ruleset);
    return rc == 0 ? 0 : e;
}

#else

int figpipe_landlock_abi(void) { return 0; }

int figpipe_landlock_restrict_writes(const char *const *writable, int count) {
    (void)writable;
    (void)count;
    return ENOSYS;
}

#endif
