/* lsm.h - AppArmor and SELinux labels without their libraries (issue 18). */
#ifndef RUNT_LSM_H
#define RUNT_LSM_H

#include <stdbool.h>

#include "err.h"

enum lsm { LSM_APPARMOR, LSM_SELINUX };

/* Whether the host runs this LSM (features reports it; labels need it). */
bool lsm_enabled(enum lsm l);
/* Before anything is created: a label for an LSM the host does not run is refused. */
int lsm_check(const char *apparmor, const char *selinux, const char *mount_label,
	      struct rt_err *err);
/* In the child, before seccomp: the profile and label the next execve takes on. */
int lsm_apply(const char *apparmor, const char *selinux, struct rt_err *err);

#endif
