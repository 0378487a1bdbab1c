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
 * Least privilege (src/base/sandbox.c, privdrop.c): each case installs
 * the serving seccomp filter, or drops root, in a forked child, makes
 * one system call there, and reports how it went: allowed calls work,
 * forbidden ones fail with EPERM, and the fatal ones kill the child.
 * The parent never installs anything.
 */
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include "base.h"

#if defined(__SANITIZE_ADDRESS__)
#define NO_FILTER	1	/* sandbox_enter() is a no-op under ASan */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_FILTER	1
#endif
#endif

enum outcome {
	WORKS,		/* the call succeeded */
	REFUSED,	/* it failed with EPERM */
	KILLED,		/* the child died of SIGSYS */
};

static const char *dir;	/* a scratch folder for file calls */

static void *
thread_main(void *arg)
{
	return arg;
}

/* One call, after the filter; 0 when it worked, else errno. */
static int
try_call(int which)
{
	char		 path[128];
	pthread_t	 t;
	pid_t		 pid;
	int		 fd, rc;

	errno = 0;
	snprintf(path, sizeof(path), "%s/f", dir);
	switch (which) {
	case 0:	/* what serving does: files, and a worker thread */
		if ((fd = open(path, O_RDWR | O_CREAT, 0600)) == -1 ||
		    write(fd, "x", 1) != 1 || fdatasync(fd) == -1 ||
		    close(fd) == -1 || unlink(path) == -1)
			return errno;
		if ((rc = pthread_create(&t, NULL, thread_main, NULL)) != 0)
			return rc;
		return pthread_join(t, NULL);
	case 1:	/* a new connection out (SQLite store) */
		return socket(AF_INET, SOCK_STREAM, 0) == -1 ? errno : 0;
	case 2:	/* a new process */
		if ((pid = fork()) == 0)
			_exit(0);
		return pid == -1 ? errno : 0;
	case 3:	/* change a file's mode */
		return chmod(dir, 0777) == -1 ? errno : 0;
	case 4:	/* rename inside the site folder */
		return rename(dir, "/nonexistent-gazette") == -1 ? errno : 0;
	case 5:	/* start a program */
		execl("/bin/true", "true", (char *)NULL);
		return errno;
	case 6:	/* trace */
		return ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1 ? errno : 0;
	case 7:	/* a networked store may connect */
		return socket(AF_INET, SOCK_STREAM, 0) == -1 ? errno : 0;
	default:
		return EINVAL;
	}
}

/* Runs case which in a sandboxed child; how it ended. */
static enum outcome
run_child(int which, int allow_net)
{
	char	 err[256];
	pid_t	 pid;
	int	 status, e;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if (sandbox_enter(allow_net, err, sizeof(err)) == -1) {
			fprintf(stderr, "%s\n", err);
			_exit(99);
		}
		e = try_call(which);
		_exit(e == 0 ? 0 : e == EPERM ? 1 : 100 + (e & 0x7f));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status)) {
		assert_int_equal(WTERMSIG(status), SIGSYS);
		return KILLED;
	}
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) > 1)
		fail_msg("case %d: child exit %d", which, WEXITSTATUS(status));
	return WEXITSTATUS(status) == 0 ? WORKS : REFUSED;
}

static void
test_filter(void **state)
{
	static const struct {
		int		 which;
		int		 allow_net;
		enum outcome	 expect;
	} rows[] = {
		{ 0, 0, WORKS },	/* files and threads */
		{ 1, 0, REFUSED },	/* socket(AF_INET) */
		{ 2, 0, REFUSED },	/* fork */
		{ 3, 0, REFUSED },	/* chmod */
		{ 4, 0, REFUSED },	/* rename */
		{ 5, 0, KILLED },	/* execve */
		{ 6, 0, KILLED },	/* ptrace */
		{ 7, 1, WORKS },	/* socket, networked store */
	};
	size_t	 i;

	(void)state;
#ifdef NO_FILTER
	skip();
#endif
#ifdef RUNNING_ON_VALGRIND
	if (RUNNING_ON_VALGRIND)
		skip();	/* sandbox_enter() is a no-op there too */
#endif
	for (i = 0; i < nitems(rows); i++)
		if (run_child(rows[i].which, rows[i].allow_net) !=
		    rows[i].expect)
			fail_msg("case %d: expected %s", rows[i].which,
			    rows[i].expect == WORKS ? "it to work" :
			    rows[i].expect == REFUSED ? "EPERM" : "SIGSYS");
}

/* Dropping to nobody: the ids change and root is out of reach. */
static void
test_privdrop(void **state)
{
	char	 err[256];
	pid_t	 pid;
	int	 status;

	(void)state;
	err[0] = '\0';
	assert_int_equal(priv_drop("no-such-user-gazette", NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "server.user: no user "
	    "\"no-such-user-gazette\""));
	assert_int_equal(priv_drop("root", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is root"));
	if (geteuid() != 0 || getpwnam("nobody") == NULL)
		skip();
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if (priv_drop("nobody", NULL, err, sizeof(err)) == -1)
			_exit(2);
		if (getuid() == 0 || geteuid() == 0 || setuid(0) != -1 ||
		    getgroups(0, NULL) > 1)
			_exit(3);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int
setup(void **state)
{
	static char	 tmpl[] = "/tmp/gazette-sandbox-XXXXXX";

	(void)state;
	dir = mkdtemp(tmpl);
	return dir == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_privdrop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
