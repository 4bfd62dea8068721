#ifndef FIGPIPE_CSANDBOX_H
#define FIGPIPE_CSANDBOX_H

/// The Landlock ABI version the kernel offers, or 0 when it has none
/// (not Linux, too old, or Landlock disabled).
int figpipe_landlock_abi(void);

/// Restricts the calling thread (and every process it then starts) so that
/// it may create, write, rename or remove files only beneath the `count`
/// folders in `writable`; reading and executing stay allowed everywhere.
/// Sets no_new_privs first, as Landlock requires. Returns 0, or an errno.
int figpipe_landlock_restrict_writes(const char *const *writable, int count);

#endif
