#ifndef TENANTSYNC_CPROCESSCONTROL_H
#define TENANTSYNC_CPROCESSCONTROL_H

/// Asks the kernel to send `signal` to the calling process when its parent thread exits.
/// Returns 0 on success, -1 where unsupported or on error (errno set).
int tenantsync_set_parent_death_signal(int signal);

#endif
