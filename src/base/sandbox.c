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
 * The seccomp filter of a serving process (Linux, libseccomp): once the
 * socket is bound, the store open and root given up, only the system
 * calls that serving needs are left.  The list came from strace of the
 * server under the integration tests' load.  Everything else fails with
 * EPERM; starting a program (execve), tracing (ptrace) and reaching into
 * another process's memory kill the process outright, since no serving
 * path ever does them.  New processes are refused (clone only with
 * CLONE_THREAD), and so are new sockets unless the store is reached over
 * the network, and changes of owner or mode (chown, chmod), links,
 * renames and folders.  prctl is allowed only to name a thread.
 *
 * What it cannot do: seccomp sees numbers, not the strings behind
 * pointers, so it cannot tell one path from another.  openat with
 * O_CREAT, write and unlink stay allowed (SQLite needs them for its WAL
 * and journal files); keeping writes inside the site folder is the job
 * of file modes and the unprivileged user (privdrop.c).
 */
#include <sys/prctl.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <seccomp.h>

/* cppcheck cannot evaluate __has_include; it needs no valgrind.h. */
#if defined(__has_include) && !defined(__CPPCHECK__)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include "base.h"

/* AddressSanitizer's run-time needs calls the filter refuses. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN	1
#elif defined(__has_feature) && !defined(__CPPCHECK__)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN	1
#endif
#endif
#ifndef SANDBOX_ASAN
#define SANDBOX_ASAN	0
#endif

/* What a serving process may call, whatever its store. */
static const char *const allowed[] = {
	/* memory */
	"brk", "mmap", "munmap", "mprotect", "mremap", "madvise",
	/* files: the database, its WAL and journal, theme and static files */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "lseek",
	"open", "openat", "close", "fstat", "stat", "lstat", "newfstatat",
	"statx", "fstatfs", "fcntl", "fsync", "fdatasync", "ftruncate",
	"fallocate", "unlink", "unlinkat", "access", "faccessat",
	"faccessat2", "readlink", "getcwd",
	/* gazette demo removes its throwaway folder when it stops */
	"getdents64", "rmdir",
	/* connections */
	"accept", "accept4", "shutdown", "setsockopt", "getsockopt",
	"getsockname", "getpeername", "recvfrom", "recvmsg", "sendto",
	"sendmsg", "poll", "ppoll", "select", "pselect6",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"eventfd2", "pipe2",	/* wake-ups between threads */
	/* threads, time, signals */
	"futex", "set_robust_list", "get_robust_list", "rseq",
	"sched_yield", "sched_getaffinity", "gettid", "getpid", "getppid",
	"tgkill", "clock_gettime", "clock_getres", "clock_nanosleep",
	"nanosleep", "gettimeofday", "time", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "sigaltstack",
	"restart_syscall", "exit", "exit_group", "getrandom",
	"getuid", "geteuid", "getgid", "getegid", "uname", "sysinfo",
	"prlimit64", "getrlimit", "membarrier",
};

/*
 * What the store needs when it is a PostgreSQL server: libpq reconnects,
 * and resolving a host name sends and receives several datagrams.
 */
static const char *const network[] = { "socket", "connect", "bind",
	"sendmmsg", "recvmmsg" };

/* Never part of serving: seeing one means the process is not ours. */
static const char *const fatal[] = {
	"execve", "execveat", "ptrace", "process_vm_readv",
	"process_vm_writev",
};

static int
add_rules(scmp_filter_ctx ctx, uint32_t action, const char *const *names,
    size_t n, char *err, size_t errlen)
{
	size_t	 i;
	int	 nr, rc;

	for (i = 0; i < n; i++) {
		/* A call this kernel or architecture lacks needs no rule. */
		if ((nr = seccomp_syscall_resolve_name(names[i])) ==
		    __NR_SCMP_ERROR)
			continue;
		if ((rc = seccomp_rule_add(ctx, action, nr, 0)) < 0) {
			snprintf(err, errlen, "seccomp: rule for %s: %s",
			    names[i], strerror(-rc));
			return -1;
		}
	}
	return 0;
}

int
sandbox_enter(int allow_net, char *err, size_t errlen)
{
	scmp_filter_ctx	 ctx;
	int		 rc = -1, r;

	if (SANDBOX_ASAN) {
		log_info("sandbox: off in this AddressSanitizer build (its "
		    "run-time needs calls the filter refuses)");
		return 0;
	}
#ifdef RUNNING_ON_VALGRIND
	if (RUNNING_ON_VALGRIND) {
		log_info("sandbox: off under valgrind (it makes calls of its "
		    "own that the filter would refuse)");
		return 0;
	}
#endif
	if ((ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))) == NULL) {
		snprintf(err, errlen, "seccomp: cannot initialize");
		return -1;
	}
	/* Every thread: the workers are already running. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0) {
		snprintf(err, errlen, "seccomp: thread sync: %s",
		    strerror(-r));
		goto out;
	}
	if (add_rules(ctx, SCMP_ACT_ALLOW, allowed, nitems(allowed), err,
	    errlen) == -1 ||
	    (allow_net && add_rules(ctx, SCMP_ACT_ALLOW, network,
	    nitems(network), err, errlen) == -1) ||
	    add_rules(ctx, SCMP_ACT_KILL_PROCESS, fatal, nitems(fatal), err,
	    errlen) == -1)
		goto out;
	/* Threads only: a clone without CLONE_THREAD would be a process. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME, 0))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) < 0) {
		snprintf(err, errlen, "seccomp: rule for clone, prctl: %s",
		    strerror(-r));
		goto out;
	}
	if ((r = seccomp_load(ctx)) != 0) {
		snprintf(err, errlen, "seccomp: cannot load the filter: %s",
		    strerror(r < 0 ? -r : EINVAL));
		goto out;
	}
	rc = 0;
out:
	seccomp_release(ctx);
	return rc;
}
