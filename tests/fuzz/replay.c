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
 * A main() for a fuzz target without libFuzzer, so that any compiler
 * (gcc, with or without ASan+UBSan) replays the corpus in `make test`.
 * Every file named on the command line, and every file below a
 * directory named there (sorted, dot files skipped), goes once to
 * LLVMFuzzerTestOneInput in a heap buffer of exactly its size, so that
 * ASan sees a read past the end.  Arguments starting with '-' are
 * ignored, so libFuzzer-style flags do no harm.
 *
 * Output is cmocka-like, for tests/run: a line before and after each
 * input (the last "RUN" line names the input that crashed), then
 * "[  PASSED  ] N test(s)." for the inputs that ran and, when some
 * could not be read, "[  FAILED  ] N test(s)." and exit status 1.  A
 * crash, a sanitizer report or a FUZZ_CHECK abort ends the process with
 * a nonzero status.
 *
 * Not here: mutation, coverage, timeouts; that is libFuzzer's job.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* Optional in a target: NULL when it does not define it. */
extern int LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

#define REPLAY_MAX	(64 * 1024 * 1024)	/* bytes of one input */

static size_t	 npassed;	/* inputs that ran */
static size_t	 nfailed;	/* inputs that could not be read */

static void	 replay_path(const char *);

/* Reads the regular file path into an exact-size buffer and runs it. */
static void
replay_file(const char *path, const struct stat *st)
{
	uint8_t	*data = NULL;
	size_t	 size, off = 0;
	ssize_t	 n;
	int	 fd = -1;

	if (st->st_size < 0 || st->st_size > REPLAY_MAX) {
		fprintf(stderr, "replay: %s: too large\n", path);
		goto fail;
	}
	size = (size_t)st->st_size;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	/* malloc(0) may give NULL; libFuzzer never passes NULL. */
	if ((data = malloc(size > 0 ? size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto fail;
	}
	while (off < size) {
		if ((n = read(fd, data + off, size - off)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "replay: %s: %s\n", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0) {
			fprintf(stderr, "replay: %s: shrank while read\n",
			    path);
			goto fail;
		}
		off += (size_t)n;
	}
	close(fd);
	fd = -1;

	printf("[ RUN      ] %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, size);
	printf("[       OK ] %s (%zu bytes)\n", path, size);
	fflush(stdout);
	npassed++;
	free(data);
	return;
fail:
	printf("[  ERROR   ] %s\n", path);
	nfailed++;
	if (fd != -1)
		close(fd);
	free(data);
}

/* Replays every visible entry of directory dir, in name order. */
static void
replay_dir(const char *dir)
{
	struct dirent	**names = NULL;
	char		 *path;
	int		  i, n;
	size_t		  len;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		printf("[  ERROR   ] %s\n", dir);
		nfailed++;
		return;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			len = strlen(dir) + strlen(names[i]->d_name) + 2;
			if ((path = malloc(len)) == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				nfailed++;
			} else {
				snprintf(path, len, "%s/%s", dir,
				    names[i]->d_name);
				replay_path(path);
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
}

/* Replays a file, or everything below a directory. */
static void
replay_path(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		printf("[  ERROR   ] %s\n", path);
		nfailed++;
	} else if (S_ISDIR(st.st_mode))
		replay_dir(path);
	else if (S_ISREG(st.st_mode))
		replay_file(path, &st);
}

int
main(int argc, char *argv[])
{
	int	 i, nargs = 0;

	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			nargs++;
	if (nargs == 0) {
		fprintf(stderr, "usage: %s file-or-directory ...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			replay_path(argv[i]);

	printf("[==========] %zu test(s) run.\n", npassed + nfailed);
	printf("[  PASSED  ] %zu test(s).\n", npassed);
	if (nfailed > 0) {
		printf("[  FAILED  ] %zu test(s).\n", nfailed);
		return 1;
	}
	return 0;
}
