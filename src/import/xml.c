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
 * The XML side the export importers share: a libxml2 streaming reader
 * set up the safe way, its first error kept for the message, and a look
 * at the root element to tell the formats apart.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "base.h"
#include "import.h"
#include "import_int.h"

/* No network, no entity expansion, no DTD loading; errors to us. */
#define READER_OPTS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING)

/* Keeps the first error's message, without its trailing newline. */
static void
reader_error(void *arg, const char *msg, xmlParserSeverities sev,
    xmlTextReaderLocatorPtr loc)
{
	char	*xmlerr = arg;
	size_t	 n;

	(void)loc;
	if (sev != XML_PARSER_SEVERITY_ERROR || xmlerr[0] != '\0')
		return;
	str_copy(xmlerr, msg, IMPORT_XMLERR);
	n = strlen(xmlerr);
	while (n > 0 && isspace((unsigned char)xmlerr[n - 1]))
		xmlerr[--n] = '\0';
}

xmlTextReaderPtr
import_xml_open(const char *file, char *xmlerr)
{
	xmlTextReaderPtr	 r;

	xmlerr[0] = '\0';
	if ((r = xmlReaderForFile(file, NULL, READER_OPTS)) == NULL)
		return NULL;
	xmlTextReaderSetErrorHandler(r, reader_error, xmlerr);
	return r;
}

int
import_xml_fail(char *err, size_t errlen, const char *file,
    xmlTextReaderPtr r, const char *xmlerr)
{
	snprintf(err, errlen, "%s:%d: malformed XML: %s", file,
	    xmlTextReaderGetParserLineNumber(r),
	    xmlerr[0] != '\0' ? xmlerr : "parse error");
	return -1;
}

int
import_xml_root(const char *file, char *out, size_t outlen)
{
	xmlTextReaderPtr	 r;
	const xmlChar		*name;
	char			 xmlerr[IMPORT_XMLERR];
	int			 rc = -1;

	if (outlen > 0)
		out[0] = '\0';
	if ((r = import_xml_open(file, xmlerr)) == NULL)
		return -1;
	while (xmlTextReaderRead(r) == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		if ((name = xmlTextReaderConstLocalName(r)) != NULL &&
		    str_copy(out, (const char *)name, outlen) == 0)
			rc = 0;
		break;
	}
	xmlFreeTextReader(r);
	return rc;
}

char *
import_xml_prop(struct arena *a, xmlNodePtr n, const char *name)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

char *
import_xml_text(struct arena *a, xmlNodePtr n)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlNodeGetContent(n)) == NULL)
		return arena_strdup(a, "");
	s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}
