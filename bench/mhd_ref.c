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
 * The floor for the speed benchmark: the least a libmicrohttpd server can
 * do to answer with a page from memory.  One response object made at
 * start and queued for every request (on the handler's second call, so
 * that connections stay alive), one worker thread with its own epoll
 * loop, like gazette serve --threads 1.  No routing, no headers beyond
 * Content-Type, unless HEADERS names a file of "Name: value" lines (the
 * headers gazette sends with the page), to tell the cost of the bytes
 * on the wire from the cost of the server.  Runs until SIGTERM or
 * SIGINT.
 *
 * Usage: mhd_ref FILE PORT [HEADERS] (on 127.0.0.1)
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

static struct MHD_Response	*page;

/* Adds each "Name: value" line of path (Content-Length and Date left out). */
static void
add_headers(struct MHD_Response *r, const char *path)
{
	FILE	*f;
	char	 line[4096], *colon, *end;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		end = line + strcspn(line, "\r\n");
		*end = '\0';
		if ((colon = strchr(line, ':')) == NULL)
			continue;
		*colon = '\0';
		if (strcasecmp(line, "Content-Length") == 0 ||
		    strcasecmp(line, "Date") == 0 ||
		    strcasecmp(line, "Connection") == 0)
			continue;
		MHD_add_response_header(r, line, colon + 1 +
		    strspn(colon + 1, " "));
	}
	fclose(f);
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *uploadlen, void **reqcls)
{
	static int	 first;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	(void)uploadlen;
	if (*reqcls == NULL) {
		*reqcls = &first;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, page);
}

int
main(int argc, char *argv[])
{
	struct MHD_Daemon	*d;
	FILE			*f;
	char			*body;
	long			 len;
	struct sockaddr_in	 sin;
	sigset_t		 sigs;
	int			 sig;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: mhd_ref FILE PORT [HEADERS]\n");
		return 2;
	}
	if ((f = fopen(argv[1], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		perror(argv[1]);
		return 1;
	}
	body = malloc((size_t)len + 1);
	if (body == NULL || fread(body, 1, (size_t)len, f) != (size_t)len) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	page = MHD_create_response_from_buffer((size_t)len, body,
	    MHD_RESPMEM_PERSISTENT);
	if (argc == 4)
		add_headers(page, argv[3]);
	else
		MHD_add_response_header(page, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "text/html; charset=utf-8");

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* Loopback only, like everything the benchmarks serve. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[2]));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    0, NULL, NULL, answer, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, 1u,
	    MHD_OPTION_CONNECTION_LIMIT, 1000u,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "mhd_ref: cannot listen on port %s\n", argv[2]);
		return 1;
	}
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(page);
	free(body);
	return 0;
}
