/*
 * Copyright (c) 2026 The gazette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
 */

/*
 * Dropping root: after the server has bound its socket and opened the
 * store, becomes the configured user (groups, then group, then user) and
 * checks that the way back is closed.  Knows nothing of what the process
 * serves; the seccomp filter that follows is sandbox.c's.
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base.h"

int
priv_drop(const char *user, const char *dir, char *err, size_t errlen)
{
	struct passwd	*pw;
	uid_t		 uid;
	gid_t		 gid;

	if (user == NULL) {
		if (geteuid() == 0)
			log_warnx("running as root: set [server] user to "
			    "drop privileges");
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "server.user: no user \"%s\"%s%s", user,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		snprintf(err, errlen, "server.user: \"%s\" is root", user);
		return -1;
	}
	if (geteuid() != 0) {
		/* Already unprivileged: nothing to give up. */
		if (geteuid() != uid)
			log_info("not started as root: serving as uid %u, "
			    "not %s", (unsigned)geteuid(), user);
		return 0;
	}
	if (setgroups(1, &gid) == -1 || setgid(gid) == -1 ||
	    setuid(uid) == -1) {
		snprintf(err, errlen, "cannot become user %s: %s", user,
		    strerror(errno));
		return -1;
	}
	/* Refuse to go on if any way back to root is still open. */
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid || setuid(0) != -1 || setgid(0) != -1) {
		snprintf(err, errlen, "cannot become user %s: root is still "
		    "within reach", user);
		return -1;
	}
	if (dir != NULL && access(dir, R_OK | W_OK | X_OK) == -1) {
		snprintf(err, errlen, "%s: user %s cannot write the site "
		    "folder (chown it to %s): %s", dir, user, user,
		    strerror(errno));
		return -1;
	}
	log_info("running as user %s (uid %u, gid %u)", user, (unsigned)uid,
	    (unsigned)gid);
	return 0;
}
