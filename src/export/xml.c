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
 * The XML writer the WXR and Atom exports share: libxml2's
 * xmlTextWriter on an export_out file, with a sticky error so that the
 * exporters can write a whole item and check once.  Text is escaped
 * rather than put in CDATA sections, which XML readers take alike and
 * which a "]]>" in a post cannot break.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "base.h"
#include "export_int.h"

int
export_xml_open(struct export_xml *x, const char *path, char *err,
    size_t errlen)
{
	xmlOutputBufferPtr	 ob;

	memset(x, 0, sizeof(*x));
	if (export_out_open(&x->o, path, err, errlen) == -1)
		return -1;
	if ((ob = xmlOutputBufferCreateFile(x->o.fp, NULL)) == NULL ||
	    (x->w = xmlNewTextWriter(ob)) == NULL) {
		if (ob != NULL)
			xmlOutputBufferClose(ob);
		snprintf(err, errlen, "%s: cannot start the XML writer", path);
		export_out_close(&x->o, 0, err, errlen);
		return -1;
	}
	xmlTextWriterSetIndent(x->w, 1);
	if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0)
		x->bad = 1;
	return 0;
}

int
export_xml_close(struct export_xml *x, int commit, char *err,
    size_t errlen)
{
	int	 rc = 0;

	if (commit && !x->bad && xmlTextWriterEndDocument(x->w) < 0)
		x->bad = 1;
	if (commit && x->bad) {
		snprintf(err, errlen, "%s: writing failed",
		    x->o.path != NULL ? x->o.path : "standard output");
		commit = 0;
		rc = -1;
	}
	xmlFreeTextWriter(x->w);	/* flushes, frees the output buffer */
	x->w = NULL;
	if (export_out_close(&x->o, commit, err, errlen) == -1)
		rc = -1;
	return rc;
}

void
export_xml_start(struct export_xml *x, const char *name)
{
	if (!x->bad && xmlTextWriterStartElement(x->w,
	    (const xmlChar *)name) < 0)
		x->bad = 1;
}

void
export_xml_end(struct export_xml *x)
{
	if (!x->bad && xmlTextWriterEndElement(x->w) < 0)
		x->bad = 1;
}

void
export_xml_attr(struct export_xml *x, const char *name, const char *value)
{
	if (!x->bad && xmlTextWriterWriteAttribute(x->w,
	    (const xmlChar *)name, (const xmlChar *)value) < 0)
		x->bad = 1;
}

/* 1 when s has a control character XML 1.0 cannot carry at all. */
static int
has_bad_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' &&
		    *s != '\r')
			return 1;
	return 0;
}

void
export_xml_text(struct export_xml *x, const char *text)
{
	char	*copy = NULL, *p;
	int	 rc;

	if (x->bad)
		return;
	if (text == NULL)
		text = "";
	/* Such a byte would make the file unreadable: drop it. */
	if (has_bad_control(text)) {
		copy = xstrdup(text);
		for (p = copy; *text != '\0'; text++)
			if ((unsigned char)*text >= 0x20 || *text == '\t' ||
			    *text == '\n' || *text == '\r')
				*p++ = *text;
		*p = '\0';
		text = copy;
	}
	rc = xmlTextWriterWriteString(x->w, (const xmlChar *)text);
	free(copy);
	if (rc < 0)
		x->bad = 1;
}

void
export_xml_el(struct export_xml *x, const char *name, const char *text)
{
	export_xml_start(x, name);
	export_xml_text(x, text);
	export_xml_end(x);
}

void
export_xml_eln(struct export_xml *x, const char *name, int64_t v)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	export_xml_el(x, name, s);
}
